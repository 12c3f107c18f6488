package coopetition.toymodel.ode;

import coopetition.toymodel.ToyVector;
import coopetition.toymodel.Trajectory;
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
    dynamics.evaluate(y, terms);
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

  Trajectory build(Trajectory.Events events, double stopTime, long evaluations, long wallNanos) {
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
    return new Trajectory(times, loss, l1, l2, cost, progress, events,
        dynamics.model().l1Null(), dynamics.model().l2Null(), stopTime, evaluations, wallNanos);
  }
}
