package coopetition.toymodel.ode;

import coopetition.toymodel.ToyVector;
import coopetition.toymodel.Trajectory;
import coopetition.toymodel.landmark.Landmarks;
import coopetition.toymodel.VectorTrace;
import coopetition.toymodel.model.Terms;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** Collects the samples of one solve into the arrays of a {@link Trajectory}. */
final class Recorder {
  private final Dynamics dynamics;
  private final double[] times;
  private final double[] loss;
  private final double[] l1;
  private final double[] l2;
  private final double[] cost;
  private final VectorTrace[] traces;
  private final Terms terms = new Terms();
  private int next;

  Recorder(Dynamics dynamics, double[] times, boolean progress) {
    this.dynamics = dynamics;
    this.times = times.clone();
    int n = times.length;
    this.loss = new double[n];
    this.l1 = new double[n];
    this.l2 = new double[n];
    this.cost = new double[n];
    if (progress) {
      traces = new VectorTrace[4];
      for (int v = 0; v < 4; v++) {
        traces[v] = VectorTrace.allocate(n);
      }
    } else {
      traces = null;
    }
  }

  /** True when per-output progress measures are recorded (no block sampling then). */
  boolean recordsProgress() {
    return traces != null;
  }

  /**
   * Number of outputs from the next one on whose times are <= until (at most max), for block
   * sampling.
   */
  int countUpTo(double until, int max) {
    int k = next;
    int end = Math.min(times.length, next + max);
    while (k < end && times[k] <= until) {
      k++;
    }
    return k - next;
  }

  double time(int k) {
    return times[k];
  }

  /**
   * Losses (and progress measures) of the next len outputs from their moments; advances past them.
   * Progress measures need only |x|^2, x*.x and the gradient coefficients, so the full system costs
   * O(1) per output here too.
   */
  void recordBlock(double[][] sq, double[][] p, int len) {
    if (traces == null) {
      dynamics.model().lossesBlock(sq, p, len, l1, l2, cost, loss, next);
      next += len;
      return;
    }
    for (int j = 0; j < len; j++) {
      for (int v = 0; v < 4; v++) {
        terms.sq[v] = sq[v][j];
        terms.p[v] = p[v][j];
      }
      dynamics.model().evaluate(terms);
      int k = next++;
      loss[k] = terms.loss;
      l1[k] = terms.l1;
      l2[k] = terms.l2;
      cost[k] = terms.cost;
      dynamics.progressFromMoments(terms, k, traces);
    }
  }

  /** Index of the next output time still to be recorded. */
  int next() {
    return next;
  }

  boolean done() {
    return next == times.length;
  }

  double nextTime() {
    return times[next];
  }

  /** Records state {@code y} at the next output time. */
  void record(double[] y) {
    if (traces == null) {
      dynamics.losses(y, terms);
    } else {
      dynamics.evaluate(y, terms);
    }
    record(y, terms);
  }

  /** Records a state whose terms are already evaluated. */
  void record(double[] y, Terms t) {
    int k = next++;
    loss[k] = t.loss;
    l1[k] = t.l1;
    l2[k] = t.l2;
    cost[k] = t.cost;
    if (traces != null) {
      dynamics.progress(y, t, k, traces);
    }
  }

  /** Holds state {@code y} for every remaining output time (after an early stop or the end). */
  void fill(double[] y) {
    if (done()) {
      return;
    }
    dynamics.evaluate(y, terms);
    while (!done()) {
      record(y, terms);
    }
  }

  Trajectory build(Landmarks landmarks, double stopTime, long evaluations, long wallNanos) {
    Map<ToyVector, VectorTrace> progress;
    if (traces == null) {
      progress = Map.of();
    } else {
      EnumMap<ToyVector, VectorTrace> m = new EnumMap<>(ToyVector.class);
      for (ToyVector v : ToyVector.values()) {
        m.put(v, traces[v.ordinal()]);
      }
      progress = Collections.unmodifiableMap(m);
    }
    return new Trajectory(times, loss, l1, l2, cost, progress, landmarks,
        dynamics.model().l1Null(), dynamics.model().l2Null(), stopTime, evaluations, wallNanos);
  }
}
