package coopetition.comparison.fit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.RealVector;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresBuilder;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresOptimizer;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresProblem;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LevenbergMarquardtOptimizer;
import org.hipparchus.optim.nonlinear.vector.leastsquares.MultivariateJacobianFunction;
import org.hipparchus.util.Pair;

/**
 * Local polish: Levenberg–Marquardt on the variable-projection residuals, started from a point the
 * global search found (or, for profiles and bootstrap replicates, from the optimum).
 */
final class LocalPolish {
  /** Iterations of the long polish given to the best few global-search results. */
  static final int LONG = 200;
  /** Iterations of the short polish given to the long shots. */
  static final int SHORT = 60;

  private LocalPolish() {}

  /**
   * Polishes every global-search result, best first. Not only the best per variant: a variant can
   * have several basins that fit about equally well, and all of them belong in the intervals.
   *
   * @param longPolishes how many of the best results get the long polish
   * @return the polished optima, ordered by the SSE the global search reached (ties keep search order)
   */
  static List<Candidate> polishAll(Workers workers, FitProblem problem, List<Candidate> found, int longPolishes) {
    List<Candidate> order = new ArrayList<>(found);
    order.sort(Comparator.comparingDouble(Candidate::sse)); // stable: equal SSEs keep search order
    List<Callable<Candidate>> tasks = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      Candidate c = order.get(i);
      Objective o = problem.objective(c.variant());
      int iterations = i < longPolishes ? LONG : SHORT;
      tasks.add(() -> new Candidate(c.variant(), levenbergMarquardt(o, problem.data(), c.point().unit(), iterations)));
    }
    return workers.runAll(tasks, null, "");
  }

  /** Levenberg–Marquardt in the unit box; returns the best point it evaluated. */
  static ParameterPoint levenbergMarquardt(Objective obj, Objective.Data data, double[] u0, int maxIterations) {
    return levenbergMarquardt(ResidualModel.of(obj, data), u0, maxIterations);
  }

  /** Levenberg–Marquardt of any residual model in the unit box; returns the best point it evaluated. */
  static ParameterPoint levenbergMarquardt(ResidualModel f, double[] u0, int maxIterations) {
    ParameterPoint.Best best = new ParameterPoint.Best(u0, f.at(u0).sse());
    RealVector tv = new ArrayRealVector(f.target(), false);
    // The optimiser's model value is target − residual, so its Jacobian is minus the residuals'.
    MultivariateJacobianFunction model = point -> {
      double[] u = point.toArray();
      ResidualModel.Fitted e = f.at(u);
      best.offer(u, e.sse());
      RealVector value = tv.subtract(new ArrayRealVector(e.residuals(), false));
      double[][] jac = f.jacobian(u);
      for (double[] row : jac) {
        for (int j = 0; j < row.length; j++) {
          row[j] = -row[j];
        }
      }
      return new Pair<>(value, new Array2DRowRealMatrix(jac, false));
    };
    LeastSquaresProblem problem = new LeastSquaresBuilder()
        .start(u0)
        .model(model)
        .target(tv)
        .parameterValidator(v -> {
          double[] a = v.toArray();
          for (int j = 0; j < a.length; j++) {
            a[j] = Math.min(1, Math.max(0, a[j]));
          }
          return new ArrayRealVector(a, false);
        })
        .maxEvaluations(4 * maxIterations)
        .maxIterations(maxIterations)
        .lazyEvaluation(false)
        .build();
    LeastSquaresOptimizer lm = new LevenbergMarquardtOptimizer()
        .withCostRelativeTolerance(1e-9)
        .withParameterRelativeTolerance(1e-8);
    try {
      lm.optimize(problem);
    } catch (MathIllegalStateException e) {
      // iteration budget spent: keep the best point seen
    }
    return best.point();
  }
}
