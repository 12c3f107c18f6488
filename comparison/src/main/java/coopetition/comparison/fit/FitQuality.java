package coopetition.comparison.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a fit explains the run in the toy model's own terms, in one verdict and one line: every
 * fitted curve reaches the R² bar, every affine map moves with its toy curve (the scale has the
 * pairing's sign) and the fitted toy shows its three landmarks (mechanism 1 learned, L2 crossing L1,
 * mechanism 1 lost) inside the data. A high R² bought with a landmark outside the data, or with a map
 * against the toy curve, is reported as a failure, not drawn as a success.
 *
 * @param meetsBar all criteria hold
 * @param line one human line saying so, or naming every criterion that fails
 * @param failures the failed criteria, one short phrase each (empty when the bar is met)
 */
public record FitQuality(boolean meetsBar, String line, List<String> failures) {
  /** The R² every fitted curve must reach (issue 15). */
  public static final double R2_BAR = 0.9;

  public FitQuality {
    failures = List.copyOf(failures);
  }

  /**
   * @param learned sequence count at which mechanism 1 is learned (NaN if never)
   * @param cross sequence count at which L2 crosses below L1 (NaN if never)
   * @param lost sequence count at which mechanism 1 is lost again (NaN if never)
   * @param xMin first sequence count of the data
   * @param xMax last sequence count of the data
   */
  public static FitQuality assess(FitResult r, double learned, double cross, double lost, double xMin, double xMax) {
    List<String> fail = new ArrayList<>();
    double worst = Double.POSITIVE_INFINITY;
    for (FitResult.CurveFit c : r.curves()) {
      worst = Math.min(worst, c.r2());
      if (!(c.r2() >= R2_BAR)) {
        fail.add(String.format(Locale.ROOT, "R² %.3f on %s (< %.1f)", c.r2(), c.column(), R2_BAR));
      }
      double expected = Objective.expectedSign(c.column());
      if (!(c.scale() * expected > 0)) {
        fail.add(String.format(Locale.ROOT, "scale %.3g on %s moves against its toy curve", c.scale(), c.column()));
      }
    }
    String[] names = {"mechanism 1 learned", "L2 crossing L1", "mechanism 1 lost"};
    double[] at = {learned, cross, lost};
    for (int i = 0; i < at.length; i++) {
      if (!Double.isFinite(at[i])) {
        fail.add(names[i] + " never happens in the fitted toy within the data");
      } else if (at[i] < xMin || at[i] > xMax) {
        fail.add(String.format(Locale.ROOT, "%s at %s, outside the data [%s, %s]", names[i], seqs(at[i]), seqs(xMin),
            seqs(xMax)));
      }
    }
    String line;
    if (fail.isEmpty()) {
      line = String.format(Locale.ROOT,
          "fit meets the bar: R² >= %.1f on every curve (lowest %.3f), scales with the toy, landmarks %s / %s / %s "
              + "inside the data", R2_BAR, worst, seqs(learned), seqs(cross), seqs(lost));
    } else {
      line = "fit does NOT meet the bar: " + String.join("; ", fail);
    }
    return new FitQuality(fail.isEmpty(), line, fail);
  }

  /** 1.52M, 132k, 950: sequence counts as people read them. */
  static String seqs(double v) {
    double a = Math.abs(v);
    if (a >= 1e6) {
      return String.format(Locale.ROOT, "%.3gM", v / 1e6);
    }
    if (a >= 1e3) {
      return String.format(Locale.ROOT, "%.3gk", v / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", v);
  }
}
