package coopetition.comparison.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.hipparchus.random.RandomGenerator;
import org.hipparchus.random.Well19937c;
import org.hipparchus.stat.descriptive.rank.Percentile;

/**
 * Bootstrap over time points, a check on the covariance: each replicate resamples every curve's
 * points with replacement and refits (LM, warm-started at the optimum). Replicate b draws from its
 * own generator seeded by {@link FitSettings#randomSeed()} and b, so replicates run in parallel.
 */
record Bootstrap(List<ParameterPoint> replicates) {
  /** Iterations of each replicate's refit; it starts at the optimum, so a short refit is enough. */
  private static final int ITERATIONS = 40;

  Bootstrap {
    replicates = List.copyOf(replicates);
  }

  static Bootstrap run(Workers workers, Objective obj, Objective.Data data, double[] u, FitSettings s) {
    return new Bootstrap(runWith(workers, obj, data, u, s, ITERATIONS));
  }

  /** The refits with a given LM budget each (the study of Wald against bootstrap varies it). */
  static List<ParameterPoint> runWith(Workers workers, Objective obj, Objective.Data data, double[] u, FitSettings s,
      int iterations) {
    List<Callable<ParameterPoint>> tasks = new ArrayList<>();
    for (int b = 0; b < s.bootstrap(); b++) {
      long seed = s.randomSeed() * 31L + 1_000_000_007L * (b + 1);
      tasks.add(() -> LocalPolish.levenbergMarquardt(obj, resample(data, new Well19937c(seed)), u, iterations));
    }
    if (tasks.isEmpty()) {
      return List.of();
    }
    return workers.runAll(tasks, s.progress() ? "fit: bootstrap" : null, "refits");
  }

  private static Objective.Data resample(Objective.Data data, RandomGenerator rng) {
    double[][] x = new double[data.x.length][];
    double[][] y = new double[data.x.length][];
    for (int c = 0; c < data.x.length; c++) {
      int n = data.x[c].length;
      x[c] = new double[n];
      y[c] = new double[n];
      for (int i = 0; i < n; i++) {
        int pick = rng.nextInt(n);
        x[c][i] = data.x[c][pick];
        y[c][i] = data.y[c][pick];
      }
    }
    return data.withPoints(x, y);
  }

  /** A percentile interval in physical units. */
  record Percentiles(double lower, double upper) {}

  int size() {
    return replicates.size();
  }

  /** The 2.5% and 97.5% percentiles of free parameter j in physical units; NaN without replicates. */
  Percentiles percentiles(int j, FitParameter fp) {
    if (replicates.isEmpty()) {
      return new Percentiles(Double.NaN, Double.NaN);
    }
    double[] vals = new double[replicates.size()];
    for (int b = 0; b < vals.length; b++) {
      vals[b] = replicates.get(b).unit()[j];
    }
    Percentile pc = new Percentile();
    return new Percentiles(fp.fromUnit(pc.evaluate(vals, 2.5)), fp.fromUnit(pc.evaluate(vals, 97.5)));
  }
}
