package coopetition.comparison.fit;

import coopetition.comparison.runs.Curve;
import coopetition.comparison.runs.RunData;
import coopetition.common.UserInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * The transformer curves a fit uses, one per paired toy curve: the full curves (for R², RMSE and
 * figures) and the subsample the objective sees.
 */
public record Observations(List<ToyCurve> roles, List<String> columns, List<Curve> full, List<Curve> sampled,
    Interference interference) {
  public Observations {
    interference = (interference == null ? Interference.none() : interference).restrictedTo(roles);
    roles = List.copyOf(roles);
    columns = List.copyOf(columns);
    full = List.copyOf(full);
    sampled = List.copyOf(sampled);
    if (roles.size() != full.size() || roles.size() != sampled.size() || roles.size() != columns.size()) {
      throw new IllegalArgumentException("one curve per role expected");
    }
  }

  /** Plain affine maps, no interference term. */
  public Observations(List<ToyCurve> roles, List<String> columns, List<Curve> full, List<Curve> sampled) {
    this(roles, columns, full, sampled, Interference.none());
  }

  /** The same curves with these interference terms. */
  public Observations withInterference(Interference terms) {
    return new Observations(roles, columns, full, sampled, terms);
  }

  /** The partner toy curve of each role (null where it has none), in role order. */
  public ToyCurve[] partners() {
    ToyCurve[] out = new ToyCurve[roles.size()];
    for (int c = 0; c < out.length; c++) {
      out[c] = interference.partner(roles.get(c));
    }
    return out;
  }

  /** Picks the paired curves from a run and subsamples each to at most {@code points} points. */
  public static Observations of(RunData run, CurvePairing pairing, int points, boolean logTime) {
    List<ToyCurve> roles = new ArrayList<>();
    List<String> cols = new ArrayList<>();
    List<Curve> full = new ArrayList<>();
    List<Curve> sampled = new ArrayList<>();
    pairing.columns().forEach((role, column) -> {
      Curve c = run.curve(column);
      UserInputException.requireField(c.size() >= 3, CurvePairing.FIELD, run.source() + ": column '" + column + "' has only " + c.size()
          + " points; a fit needs at least 3 per curve");
      UserInputException.requireField(c.yMax() > c.yMin(), CurvePairing.FIELD, run.source() + ": column '" + column
          + "' is constant (" + c.yMin() + "); a flat curve carries no dynamics to fit, pair another column");
      roles.add(role);
      cols.add(column);
      full.add(c);
      sampled.add(Resampling.closest(c, points, logTime));
    });
    return new Observations(roles, cols, full, sampled, pairing.interference());
  }

  public static Observations of(List<ToyCurve> roles, List<Curve> curves, int points, boolean logTime) {
    List<Curve> sampled = new ArrayList<>();
    List<String> cols = new ArrayList<>();
    for (Curve c : curves) {
      sampled.add(Resampling.closest(c, points, logTime));
      cols.add(c.name());
    }
    return new Observations(roles, cols, curves, sampled);
  }

  public double xMin() {
    double m = Double.POSITIVE_INFINITY;
    for (Curve c : full) {
      m = Math.min(m, c.x()[0]);
    }
    return m;
  }

  public double xMax() {
    double m = Double.NEGATIVE_INFINITY;
    for (Curve c : full) {
      m = Math.max(m, c.x()[c.size() - 1]);
    }
    return m;
  }

  public int sampledPoints() {
    int n = 0;
    for (Curve c : sampled) {
      n += c.size();
    }
    return n;
  }
}
