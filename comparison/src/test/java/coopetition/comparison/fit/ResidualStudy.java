package coopetition.comparison.fit;

import coopetition.comparison.runs.Curve;
import coopetition.comparison.runs.RunData;
import coopetition.comparison.runs.RunReaders;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Study harness (not a test): fits one run with the default pairing (or the given interference,
 * "none" for plain maps) and prints every curve's residuals and their share of the SSR, to see
 * which points keep R² below the bar; then how well the fitted toy's share of mechanism 2,
 * L2 / (L1 + L2), and a logistic of its normalised difference (L2 − L1) / (L1 + L2) map onto the run's
 * Flip accuracy (no refit: the toy as fitted to the losses).
 * Run: java -cp ... coopetition.comparison.fit.ResidualStudy RUN [interference [dims ratios a,b]]
 */
public final class ResidualStudy {
  public static void main(String[] args) {
    RunData run = RunReaders.open(Path.of(args[0]), "seqs");
    CurvePairing pairing = CurvePairing.defaults();
    if (args.length > 1) {
      pairing = pairing.withInterference(Interference.parse(args[1]));
    }
    FitSettings s = FitSettings.defaults().withBootstrap(0).withProfile(false).withSearch(3, 500, 3);
    Observations obs = Observations.of(run, pairing, s.resamplePoints(), false);
    List<Integer> dims = args.length > 2 ? Arrays.stream(args[2].split(",")).map(Integer::valueOf).toList()
        : ToyModelCurves.DEFAULT_DIMS_RATIOS;
    ToyModelCurves model = new ToyModelCurves(List.of(0L, 1L, 2L, 3L, 4L, 5L), dims, 20,
        coopetition.toymodel.Solver.FLOW_REDUCED);
    FitResult r = ToyFitter.fit(model, obs, s, Map.of());
    for (FitResult.Estimate e : r.parameters()) {
      System.out.printf("  %-10s %.4g%s%n", e.name(), e.value(), e.atBound() ? " (at bound)" : "");
    }
    for (FitResult.CurveFit f : r.curves()) {
      System.out.printf("  %s scale %.4g offset %.4g interference %s%n", f.column(), f.scale(), f.offset(),
          f.interference() == null ? "-" : String.format("%.4g", f.interference().value()));
    }
    flip(model, r, run.curve("flip_acc"));
    for (int c = 0; c < obs.roles().size(); c++) {
      Curve cv = obs.full().get(c);
      FitResult.CurveFit f = r.curve(obs.roles().get(c));
      double[][] toy = ToyFitter.toyCurves(model, r, cv.x());
      double ssr = 0;
      double[] res = new double[cv.size()];
      for (int i = 0; i < cv.size(); i++) {
        res[i] = cv.y()[i] - f.mapped(toy, i);
        ssr += res[i] * res[i];
      }
      System.out.printf("%s R2 %.4f SSR %.3f%n", cv.name(), f.r2(), ssr);
      for (int i = 0; i < cv.size(); i++) {
        if (res[i] * res[i] > 0.02 * ssr) {
          System.out.printf("  x %9.0f y %7.3f fit %7.3f share %.2f%n", cv.x()[i], cv.y()[i], cv.y()[i] - res[i],
              res[i] * res[i] / ssr);
        }
      }
    }
  }

  /** R² of Flip against the fitted toy's share of mechanism 2 (affine, positive) and a logistic of (L2 − L1)/(L1 + L2). */
  static void flip(ToyModelCurves model, FitResult r, Curve flip) {
    double[][] toy = ToyFitter.toyCurves(model, r, flip.x());
    int n = flip.size();
    double[] share = new double[n];
    double[] diff = new double[n];
    for (int i = 0; i < n; i++) {
      double l1 = toy[ToyCurve.MECH1.ordinal()][i];
      double l2 = toy[ToyCurve.MECH2.ordinal()][i];
      share[i] = l2 / (l1 + l2);
      diff[i] = (l2 - l1) / (l1 + l2);
    }
    double[] m = Objective.affine(share, flip.y(), 0, 1e6);
    System.out.printf("flip vs share: Flip = %.3f * L2/(L1+L2) + %.3f, R2 %.4f%n", m[0], m[1], r2(flip.y(), share, m));
    double bestK = 0;
    double bestR2 = Double.NEGATIVE_INFINITY;
    double[] bestM = null;
    for (double k = 0.25; k <= 64; k *= 1.1) {
      double[] sig = new double[n];
      for (int i = 0; i < n; i++) {
        sig[i] = 1 / (1 + Math.exp(-k * diff[i]));
      }
      double[] mk = Objective.affine(sig, flip.y(), 0, 1e6);
      double q = r2(flip.y(), sig, mk);
      if (q > bestR2) {
        bestR2 = q;
        bestK = k;
        bestM = mk;
      }
    }
    System.out.printf("flip vs logistic: Flip = %.3f * sigmoid(%.3g (L2-L1)/(L1+L2)) + %.3f, R2 %.4f%n", bestM[0], bestK,
        bestM[1], bestR2);
  }

  private static double r2(double[] y, double[] f, double[] m) {
    double mean = Arrays.stream(y).average().orElse(0);
    double ssr = 0;
    double sst = 0;
    for (int i = 0; i < y.length; i++) {
      double p = m[0] * f[i] + m[1];
      ssr += (y[i] - p) * (y[i] - p);
      sst += (y[i] - mean) * (y[i] - mean);
    }
    return 1 - ssr / sst;
  }
}
