package coopetition.toymodel;

import coopetition.common.UserInputException;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link ToySimulator} computes a trajectory.
 *
 * @param solver flow, gd, flow-reduced or gd-reduced
 * @param integrator Hipparchus integrator of the flow solvers (ignored by GD)
 * @param rtol relative tolerance of the adaptive integrator
 * @param atol absolute tolerance of the adaptive integrator
 * @param learningRate GD step; GD iterate k sits at time t = k * learningRate, so lr 1 means t = step
 * @param lossThreshold stop (and hold the state) once Loss falls below this, as the authors' solver
 *     does (checked before each GD update; an event for the flow); 0 disables
 * @param clamps vectors frozen at their initial value or target for the whole run
 * @param detectEvents locate the landmarks ({@link coopetition.toymodel.landmark.Landmark}) on the
 *     solution itself (the flows' event detection; GD between iterates) instead of only from the
 *     sampled curve
 * @param recordProgress also record per-vector norms, gradient norms and distances to the targets
 */
public record SolverSettings(Solver solver, Integrator integrator, double rtol, double atol,
    double learningRate, double lossThreshold, List<Clamp> clamps, boolean detectEvents,
    boolean recordProgress) {

  /** The field that errors about {@link #clamps} name. */
  public static final String CLAMPS = "clamps";

  /** The paper's early-stopping threshold on the total loss. */
  public static final double PAPER_LOSS_THRESHOLD = 1e-6;

  public SolverSettings {
    Objects.requireNonNull(solver, "solver");
    Objects.requireNonNull(integrator, "integrator");
    UserInputException.requireField(Double.isFinite(rtol) && rtol > 0 && rtol < 1, "rtol",
        "must lie in (0, 1), got " + rtol);
    UserInputException.requireField(Double.isFinite(atol) && atol > 0, "atol", "must be > 0, got " + atol);
    UserInputException.requireField(Double.isFinite(learningRate) && learningRate > 0, "learning_rate",
        "must be > 0, got " + learningRate);
    UserInputException.requireField(Double.isFinite(lossThreshold) && lossThreshold >= 0, "loss_threshold",
        "must be >= 0 (0 disables early stopping), got " + lossThreshold);
    clamps = List.copyOf(clamps);
    Set<ToyVector> seen = EnumSet.noneOf(ToyVector.class);
    for (Clamp c : clamps) {
      UserInputException.requireField(seen.add(c.vector()), CLAMPS,
          "vector " + c.vector().symbol() + " is clamped twice; clamp each vector once");
    }
  }

  /**
   * rtol 1e-8 / atol 1e-10 with Hipparchus' DOP853 for the full flow and the built-in DOPRI5 for the
   * reduced flow (its fast path), GD at lr 1, the paper's threshold 1e-6, no clamps, events on for
   * the flows, progress measures for the full-dimensional solvers only.
   */
  public static SolverSettings defaults(Solver solver) {
    Integrator integrator = solver.isReduced() ? Integrator.DOPRI5 : Integrator.DP853;
    return new SolverSettings(solver, integrator, 1e-8, 1e-10, 1.0, PAPER_LOSS_THRESHOLD,
        List.of(), solver.isFlow(), !solver.isReduced());
  }

  public SolverSettings withSolver(Solver s) {
    return new SolverSettings(s, integrator, rtol, atol, learningRate, lossThreshold, clamps, detectEvents, recordProgress);
  }

  public SolverSettings withIntegrator(Integrator i) {
    return new SolverSettings(solver, i, rtol, atol, learningRate, lossThreshold, clamps, detectEvents, recordProgress);
  }

  public SolverSettings withTolerances(double relative, double absolute) {
    return new SolverSettings(solver, integrator, relative, absolute, learningRate, lossThreshold, clamps, detectEvents, recordProgress);
  }

  public SolverSettings withLearningRate(double lr) {
    return new SolverSettings(solver, integrator, rtol, atol, lr, lossThreshold, clamps, detectEvents, recordProgress);
  }

  public SolverSettings withLossThreshold(double threshold) {
    return new SolverSettings(solver, integrator, rtol, atol, learningRate, threshold, clamps, detectEvents, recordProgress);
  }

  public SolverSettings withClamps(List<Clamp> c) {
    return new SolverSettings(solver, integrator, rtol, atol, learningRate, lossThreshold, c, detectEvents, recordProgress);
  }

  public SolverSettings withEvents(boolean on) {
    return new SolverSettings(solver, integrator, rtol, atol, learningRate, lossThreshold, clamps, on, recordProgress);
  }

  public SolverSettings withProgress(boolean on) {
    return new SolverSettings(solver, integrator, rtol, atol, learningRate, lossThreshold, clamps, detectEvents, on);
  }

  /** The clamp on {@code v}, or null. */
  public Clamp clampOf(ToyVector v) {
    for (Clamp c : clamps) {
      if (c.vector() == v) {
        return c;
      }
    }
    return null;
  }
}
