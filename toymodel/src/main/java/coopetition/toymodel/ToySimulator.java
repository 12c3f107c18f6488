package coopetition.toymodel;

import coopetition.common.UserInputException;
import coopetition.toymodel.model.ToyModel;
import coopetition.toymodel.ode.Dynamics;
import coopetition.toymodel.ode.GradientDescent;
import coopetition.toymodel.ode.GradientFlow;

/**
 * The entry point: one trajectory of the toy model for a config, solver settings and output times.
 * Pure and thread-safe (every call builds its own state), so sweeps and fits call it in parallel.
 */
public final class ToySimulator {
  private ToySimulator() {}

  /**
   * Solves the model from t = 0 and samples it at {@code outputTimes} (finite, >= 0, non-decreasing).
   */
  public static Trajectory solve(ToyConfig config, SolverSettings settings, double[] outputTimes) {
    return solve(ToyModel.of(config), settings, outputTimes);
  }

  /** As {@link #solve(ToyConfig, SolverSettings, double[])} with targets and initial values already drawn. */
  public static Trajectory solve(ToyModel model, SolverSettings settings, double[] outputTimes) {
    checkTimes(outputTimes);
    Dynamics dyn = Dynamics.of(model, settings);
    return settings.solver().isFlow()
        ? GradientFlow.solve(dyn, settings, outputTimes)
        : GradientDescent.solve(dyn, settings, outputTimes);
  }

  /**
   * Times 0, step, 2 step, ..., up to and including tEnd (within rounding). Errors name the fields
   * t_end and dt (the output settings of a run).
   */
  public static double[] grid(double tEnd, double step) {
    UserInputException.requireField(Double.isFinite(tEnd) && tEnd >= 0, "t_end", "must be >= 0, got " + tEnd);
    UserInputException.requireField(Double.isFinite(step) && step > 0, "dt", "must be > 0, got " + step);
    long n = (long) Math.floor(tEnd / step + 1e-9) + 1;
    UserInputException.requireField(n <= 50_000_000, "dt", "gives too many output times (" + n + "); increase it");
    double[] t = new double[(int) n];
    for (int i = 0; i < n; i++) {
      t[i] = i * step;
    }
    return t;
  }

  private static void checkTimes(double[] t) {
    UserInputException.require(t.length > 0, "no output times requested");
    double prev = 0;
    for (double v : t) {
      // No eager message building here: this loop runs for every output time of every solve.
      if (!(Double.isFinite(v) && v >= prev)) {
        throw new UserInputException("output times must be finite, >= 0 and non-decreasing; got " + v + " after " + prev);
      }
      prev = v;
    }
  }
}
