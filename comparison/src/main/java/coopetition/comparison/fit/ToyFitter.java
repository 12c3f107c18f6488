package coopetition.comparison.fit;

import coopetition.common.UserInputException;
import java.util.List;
import java.util.Map;

/**
 * Fits a {@link ToyCurves} family to transformer curves, in four parts:
 *
 * <ol>
 *   <li>{@link GlobalSearch}: CMA-ES over every discrete variant, with restarts, finds the basins;
 *   <li>{@link LocalPolish}: Levenberg–Marquardt polishes every result, the best few longest;
 *   <li>uncertainty: {@link ConfidenceSet} (Wald intervals from the {@link Covariance}, joint intervals
 *       from the {@link JointRegion}, widened over optima that fit equally well) and a {@link Bootstrap}
 *       over time points as a check;
 *   <li>{@link ResultAssembly}: estimates, curve fits and notes into a {@link FitResult}.
 * </ol>
 *
 * Variants, restarts and bootstrap replicates run in parallel; every random choice comes from
 * {@link FitSettings#randomSeed()}, so the result does not depend on thread timing.
 */
public final class ToyFitter {
  private ToyFitter() {}

  /** The fitted parameters: the model's own, then tau and t0 with bounds taken from the data. */
  public static List<FitParameter> parameters(ToyCurves model, Observations obs, FitSettings s) {
    return FitParameters.of(model, obs, s).all();
  }

  /**
   * @param fixedValues parameters held at a value instead of fitted (name to physical value); a
   *     bad entry is a {@link UserInputException} on the field {@code fixedValues}
   */
  public static FitResult fit(ToyCurves model, Observations obs, FitSettings s, Map<String, Double> fixedValues) {
    long start = System.nanoTime();
    FitProblem problem = FitProblem.of(model, obs, s, fixedValues);
    try (Workers workers = new Workers(s.threads())) {
      List<Candidate> found = GlobalSearch.run(workers, problem, s);
      List<Candidate> polished = LocalPolish.polishAll(workers, problem, found, s.polish());
      int bestIndex = 0;
      for (int i = 1; i < polished.size(); i++) {
        if (polished.get(i).sse() < polished.get(bestIndex).sse()) {
          bestIndex = i;
        }
      }
      Candidate best = polished.get(bestIndex);
      Objective.Eval at = problem.objective(best.variant()).eval(best.point().unit(), problem.data());
      UserInputException.require(at.ok(), "the toy model could not be solved at the best point found; "
          + "fix some parameters to narrow the search, or check the curves");
      ConfidenceSet set = ConfidenceSet.of(problem, polished, bestIndex, at, s);
      Bootstrap boot = Bootstrap.run(workers, problem.objective(best.variant()), problem.data(),
          best.point().unit(), s);
      return ResultAssembly.assemble(problem, best, at, set, boot,
          ResultAssembly.candidateScores(problem, found, polished), start);
    }
  }

  /** Raw toy curves (all three, in {@link ToyCurve} order) at the given sequence counts, for figures. */
  public static double[][] toyCurves(ToyCurves model, FitResult r, double[] sequences) {
    double[] t = new double[sequences.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = Math.max(0, r.toyTime(sequences[i]));
    }
    return model.evaluate(r.toyValues(), r.variantIndex(), t);
  }
}
