package coopetition.comparison.fit;

import coopetition.comparison.runs.Curve;
import coopetition.comparison.runs.RunData;
import coopetition.comparison.runs.RunReaders;
import java.nio.file.Path;
import java.util.Map;

/**
 * Study harness (not a test): fits one run with the default pairing (or the given interference,
 * "none" for plain maps) and prints every curve's residuals and their share of the SSR, to see
 * which points keep R² below the bar. Run: java -cp ... coopetition.comparison.fit.ResidualStudy RUN [interference]
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
    ToyModelCurves model = ToyModelCurves.paperDims(6);
    FitResult r = ToyFitter.fit(model, obs, s, Map.of());
    for (FitResult.Estimate e : r.parameters()) {
      System.out.printf("  %-10s %.4g%s%n", e.name(), e.value(), e.atBound() ? " (at bound)" : "");
    }
    for (FitResult.CurveFit f : r.curves()) {
      System.out.printf("  %s scale %.4g offset %.4g interference %s%n", f.column(), f.scale(), f.offset(),
          f.interference() == null ? "-" : String.format("%.4g", f.interference().value()));
    }
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
}
