package coopetition.toymodel;

import coopetition.toymodel.landmark.Landmarks;
import java.util.Map;

/**
 * A solved trajectory sampled at the requested output times.
 *
 * @param t output times (GD: iterate floor(t / lr) sits at time t)
 * @param loss total loss, including weight decay
 * @param l1 mechanism-1 loss (plays ICL)
 * @param l2 mechanism-2 loss (plays CIWL)
 * @param cost competition cost
 * @param progress per-vector progress measures, empty unless recorded
 * @param landmarks landmark times located by the solver's event detection, or null when it did not run
 * @param l1Null L1 at a = 0, K1 / (2 N1): the value mechanism 1 returns to when it fades
 * @param l2Null L2 at d = 0
 * @param stopTime time at which Loss fell below the threshold and the state was held, NaN if never
 * @param rhsEvaluations gradient (right-hand side) evaluations spent
 * @param wallNanos wall time of the solve
 */
public record Trajectory(double[] t, double[] loss, double[] l1, double[] l2, double[] cost,
    Map<ToyVector, VectorTrace> progress, Landmarks landmarks, double l1Null, double l2Null,
    double stopTime, long rhsEvaluations, long wallNanos) {

  public int size() {
    return t.length;
  }

  public boolean hasProgress() {
    return !progress.isEmpty();
  }

  /** True when the run stopped early because Loss fell below the threshold. */
  public boolean stoppedEarly() {
    return !Double.isNaN(stopTime);
  }
}
