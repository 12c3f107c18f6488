package coopetition.comparison.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.SimpleBounds;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.CMAESOptimizer;
import org.hipparchus.random.RandomGenerator;
import org.hipparchus.random.Well19937c;

/**
 * Global search: CMA-ES in the unit box, for every discrete variant and every restart (
 * the first restart starts at the typical values, the others at random toy parameters), each start
 * with tau and t0 lined up by {@link SearchStarts#landmarkStart}. Runs in parallel; each run's
 * random stream comes from {@link FitSettings#randomSeed()}, the variant and the restart.
 */
final class GlobalSearch {
  /** Initial step in unit coordinates: a sixth of the box, wide enough to leave a poor start's basin. */
  private static final double SIGMA = 0.15;

  private GlobalSearch() {}

  /** @return one candidate per (variant, restart), variant-major */
  static List<Candidate> run(Workers workers, FitProblem problem, FitSettings s) {
    double[] typical = SearchStarts.typical(problem, s);
    List<Callable<Candidate>> tasks = new ArrayList<>();
    for (int v = 0; v < problem.objectives().size(); v++) {
      Objective obj = problem.objective(v);
      for (int r = 0; r < s.restarts(); r++) {
        long seed = s.randomSeed() * 1_000_003L + v * 7919L + r;
        double[] start = r == 0 ? typical : SearchStarts.randomToy(typical, obj, seed);
        int variant = v;
        tasks.add(() -> new Candidate(variant, cmaes(obj, problem.data(),
            SearchStarts.landmarkStart(problem.model(), obj, problem.obs(), start, s.maxHorizon()), seed,
            s.evaluationsPerRun())));
      }
    }
    return workers.runAll(tasks, s.progress() ? "fit: global search" : null, "runs");
  }

  /** One CMA-ES run from {@code start}; returns the best point it evaluated. */
  private static ParameterPoint cmaes(Objective obj, Objective.Data data, double[] start, long seed, int maxEval) {
    int p = obj.freeCount();
    RandomGenerator rng = new Well19937c(seed);
    ParameterPoint.Best best = new ParameterPoint.Best(start, Double.POSITIVE_INFINITY);
    ObjectiveFunction f = new ObjectiveFunction(u -> {
      double v = obj.eval(u, data).sse();
      best.offer(u, v);
      return v;
    });
    double[] lo = new double[p];
    double[] hi = new double[p];
    double[] sigma = new double[p];
    Arrays.fill(hi, 1);
    Arrays.fill(sigma, SIGMA);
    int lambda = (int) Math.round(4 + 3 * Math.log(p));
    CMAESOptimizer cma = new CMAESOptimizer(10_000, 0, true, 0, 0, rng, false, null);
    try {
      cma.optimize(new MaxEval(maxEval), f, GoalType.MINIMIZE, new InitialGuess(start), new SimpleBounds(lo, hi),
          new CMAESOptimizer.Sigma(sigma), new CMAESOptimizer.PopulationSize(lambda));
    } catch (MathIllegalStateException e) {
      // evaluation budget spent: the best point seen is the answer
    }
    return best.point();
  }
}
