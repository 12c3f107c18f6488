package coopetition.toymodel.ode;

import coopetition.toymodel.SolverSettings;
import coopetition.toymodel.Trajectory;
import coopetition.toymodel.landmark.LandmarkDetector;
import coopetition.toymodel.model.Terms;

/**
 * The authors' discrete solver: full-batch GD theta <- theta - eta grad Loss. The loss is checked
 * against the threshold before each update; once below, the iterate is held. Iterate k sits at time
 * k * eta, and an output time t shows iterate floor(t / eta). With event detection on, landmarks are
 * located between consecutive iterates by linear interpolation, whatever the output times.
 */
public final class GradientDescent {
  private GradientDescent() {}

  public static Trajectory solve(Dynamics dyn, SolverSettings settings, double[] outputTimes) {
    long start = System.nanoTime();
    double eta = settings.learningRate();
    double threshold = settings.lossThreshold();
    Recorder rec = new Recorder(dyn, outputTimes, settings.recordProgress());
    long lastStep = stepOf(outputTimes[outputTimes.length - 1], eta);
    double[] y = dyn.initialState();
    Terms t = new Terms();
    long evaluations = 0;
    double stopTime = Double.NaN;
    LandmarkDetector marks = settings.detectEvents()
        ? new LandmarkDetector(dyn.model().l1Null(), dyn.model().l2Null()) : null;
    for (long m = 0; ; m++) {
      dyn.evaluate(y, t);
      evaluations++;
      if (marks != null) {
        if (m == 0) {
          marks.start(0, t.l1, t.l2);
        } else {
          marks.advance(m * eta, t.l1, t.l2, Double.POSITIVE_INFINITY, LandmarkDetector.LINEAR);
        }
      }
      while (!rec.done() && stepOf(rec.nextTime(), eta) <= m) {
        rec.record(y, t);
      }
      if (t.loss < threshold) {
        stopTime = m * eta;
        break;
      }
      if (m >= lastStep) {
        break;
      }
      dyn.descend(y, t, eta);
    }
    rec.fill(y);
    return rec.build(marks == null ? null : marks.landmarks(), stopTime, evaluations, System.nanoTime() - start);
  }

  /** The GD iterate shown at time t; the small slack absorbs t = k * eta computed in floating point. */
  static long stepOf(double t, double eta) {
    return (long) Math.floor(t / eta + 1e-9);
  }
}
