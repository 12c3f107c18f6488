package coopetition.comparison.fit;

import coopetition.comparison.runs.RunData;
import coopetition.comparison.runs.RunReaders;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Study harness (not a test): why the bootstrap intervals are narrower than the Wald ones. Fits a run,
 * then compares per parameter the Wald standard error (unit coordinates) with the spread of bootstrap
 * refits warm-started at the optimum, with the fit's 40 LM iterations and with 400.
 * Run: java -cp ... coopetition.comparison.fit.BootstrapStudy RUN_DIR [replicates] [name=value held]
 */
public final class BootstrapStudy {
  public static void main(String[] args) {
    RunData run = RunReaders.open(Path.of(args[0]), "seqs");
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    FitSettings s = FitSettings.defaults().withBootstrap(0).withProfile(false).withSearch(3, 500, 3).withThreads(2);
    Observations obs = Observations.of(run, CurvePairing.defaults(), s.resamplePoints(), false);
    ToyModelCurves model = ToyModelCurves.paperDims(6);
    Map<String, Double> fixed = args.length > 2
        ? Map.of(args[2].split("=")[0], Double.parseDouble(args[2].split("=")[1])) : Map.of();
    FitResult r = ToyFitter.fit(model, obs, s, fixed);
    FitProblem problem = FitProblem.of(model, obs, s, fixed);
    Objective obj = problem.objective(r.variantIndex());
    FitParameters params = problem.params();
    int[] free = obj.freeIndices();
    double[] phys = obj.physical(new double[free.length]);
    System.arraycopy(r.toyValues(), 0, phys, 0, r.toyValues().length);
    phys[params.tauIndex()] = r.tau();
    phys[params.t0Index()] = r.t0();
    double[] u = new double[free.length];
    for (int j = 0; j < u.length; j++) {
      u[j] = params.get(free[j]).toUnit(phys[free[j]]);
    }
    Objective.Eval at = obj.eval(u, problem.data());
    Covariance cov = Covariance.at(obj, problem.data(), u, at, problem.dof());
    StringBuilder b = new StringBuilder(String.format("%s variant %s, cond %.2e, SSE %.4g%n", args[0], r.variant(),
        cov.condition(), at.sse()));
    for (int iterations : new int[] {40, 400}) {
      double[][] moved = new double[reps][];
      int edge = 0;
      try (Workers w = new Workers(2)) {
        List<ParameterPoint> pts = Bootstrap.runWith(w, obj, problem.data(), u, s.withBootstrap(reps), iterations);
        for (int k = 0; k < reps; k++) {
          moved[k] = pts.get(k).unit();
          for (double v : moved[k]) {
            edge += v <= 1e-3 || v >= 1 - 1e-3 ? 1 : 0;
          }
        }
      }
      b.append(String.format("LM iterations %d (%d refits; coordinates at the box edge: %d)%n", iterations, reps, edge));
      for (int j = 0; j < u.length; j++) {
        double mean = 0;
        for (double[] m : moved) {
          mean += m[j] / reps;
        }
        double var = 0;
        for (double[] m : moved) {
          var += (m[j] - mean) * (m[j] - mean) / (reps - 1);
        }
        double wald = Math.sqrt(cov.variance(j));
        b.append(String.format("  %-10s u %.4f  Wald se %.3g  bootstrap sd %.3g  ratio %.3g%n",
            params.get(free[j]).name(), u[j], wald, Math.sqrt(var), wald / Math.sqrt(var)));
      }
    }
    System.out.print(b);
  }
}
