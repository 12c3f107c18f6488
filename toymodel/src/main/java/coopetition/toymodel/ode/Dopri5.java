package coopetition.toymodel.ode;

import coopetition.toymodel.SolverSettings;
import coopetition.toymodel.Trajectory;
import coopetition.toymodel.model.Terms;

/**
 * A compact Dormand-Prince 5(4) integrator (Hairer's DOPRI5: FSAL, error-per-step control, Shampine's
 * 4th-order dense output) written for the toy model's flow: a documented performance kernel (see
 * {@link coopetition.toymodel.Integrator#DOPRI5}). This class is the stepper; each accepted step's
 * {@link DenseOutput} feeds the {@link OutputSampler} (the output times) and the {@link EventScan}
 * (the early stop and the landmarks). Everything is allocated once per solve.
 */
final class Dopri5 {
  // Butcher tableau (Dormand & Prince 1980); the 5th-order weights equal row 7 (FSAL).
  static final double C2 = 1.0 / 5, C3 = 3.0 / 10, C4 = 4.0 / 5, C5 = 8.0 / 9;
  static final double A21 = 1.0 / 5;
  static final double A31 = 3.0 / 40, A32 = 9.0 / 40;
  static final double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
  static final double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561, A54 = -212.0 / 729;
  static final double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176,
      A65 = -5103.0 / 18656;
  static final double A71 = 35.0 / 384, A73 = 500.0 / 1113, A74 = 125.0 / 192, A75 = -2187.0 / 6784,
      A76 = 11.0 / 84;
  // 5th minus embedded 4th-order weights: the local error estimate.
  static final double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920, E5 = -17253.0 / 339200,
      E6 = 22.0 / 525, E7 = -1.0 / 40;
  // Shampine's dense output (as in Hairer's CONTD5).
  static final double D1 = -12715105075.0 / 11282082432.0, D3 = 87487479700.0 / 32700410799.0,
      D4 = -10690763975.0 / 1880347072.0, D5 = 701980252875.0 / 199316789632.0,
      D6 = -1453857185.0 / 822651844.0, D7 = 69997945.0 / 29380423.0;

  private static final double SAFETY = 0.9;
  private static final double MIN_FACTOR = 0.2;
  private static final double MAX_FACTOR = 10.0;

  private Dopri5() {}

  static Trajectory solve(Dynamics dyn, SolverSettings settings, double[] times) {
    long start = System.nanoTime();
    return new Run(dyn, settings, times).run(start);
  }

  /** The state of one solve; not shared between threads. */
  private static final class Run {
    final Dynamics dyn;
    final int n;
    final double rtol;
    final double atol;
    final Recorder rec;
    final double[] times;
    final double[] y0;
    final double[] y1;
    final double[] yt;
    final double[] k1;
    final double[] k2;
    final double[] k3;
    final double[] k4;
    final double[] k5;
    final double[] k6;
    final double[] k7;
    final Terms terms = new Terms();
    final DenseOutput dense;
    final OutputSampler sampler;
    final EventScan events;
    long evaluations;

    Run(Dynamics dyn, SolverSettings s, double[] times) {
      this.dyn = dyn;
      this.n = dyn.dimension();
      this.rtol = s.rtol();
      this.atol = s.atol();
      this.times = times;
      this.rec = new Recorder(dyn, times, s.recordProgress());
      y0 = dyn.initialState();
      y1 = new double[n];
      yt = new double[n];
      k1 = new double[n];
      k2 = new double[n];
      k3 = new double[n];
      k4 = new double[n];
      k5 = new double[n];
      k6 = new double[n];
      k7 = new double[n];
      dense = new DenseOutput(y0);
      sampler = new OutputSampler(dyn, rec, dense);
      events = new EventScan(dyn, dense, s.lossThreshold(), s.detectEvents());
    }

    void rhs(double[] y, double[] out) {
      dyn.evaluate(y, terms);
      dyn.flow(y, terms, out);
      evaluations++;
    }

    Trajectory run(long start) {
      double tEnd = times[times.length - 1];
      rhs(y0, k1);
      events.start(terms);
      double stopTime = events.stoppedAtStart() ? 0.0 : Double.NaN;
      while (!rec.done() && rec.nextTime() <= 0) {
        rec.record(y0);
      }
      if (stopTime == 0.0 || tEnd <= 0) {
        rec.fill(y0);
        return rec.build(events.landmarks(), stopTime, evaluations, System.nanoTime() - start);
      }
      double t = 0;
      double h = initialStep(tEnd);
      while (t < tEnd) {
        if (t + h >= tEnd || t + 1.0001 * h >= tEnd) {
          h = tEnd - t;
        }
        double err = attempt(h);
        if (!(err <= 1.0)) {
          // Rejected (or overflowed into NaN): shrink and retry.
          double f = Double.isFinite(err) ? Math.max(MIN_FACTOR, SAFETY * Math.pow(err, -0.2)) : MIN_FACTOR;
          h *= f;
          if (h < 1e-12 * Math.max(1, t)) {
            throw new IllegalStateException("dopri5: step size underflow at t = " + t);
          }
          continue;
        }
        // Accepted: k7 = f(y1) and terms describe y1 (FSAL).
        double t1 = t + h;
        dense.prepare(t, h, y1, k1, k3, k4, k5, k6, k7);
        double stop = events.scan(t, t1, terms);
        sampler.sampleUpTo(Double.isNaN(stop) ? t1 : stop);
        if (!Double.isNaN(stop)) {
          stopTime = stop;
          dense.interpolate(stop, yt);
          rec.fill(yt);
          break;
        }
        t = t1;
        System.arraycopy(y1, 0, y0, 0, n);
        System.arraycopy(k7, 0, k1, 0, n);
        h *= Math.min(MAX_FACTOR, SAFETY * Math.pow(Math.max(err, 1e-10), -0.2));
        h = Math.min(h, Integrators.MAX_STEP);
      }
      rec.fill(y0);
      return rec.build(events.landmarks(), stopTime, evaluations, System.nanoTime() - start);
    }

    /** Hairer's starting step: 1% of |y| / |f|, capped. */
    double initialStep(double span) {
      double d0 = 0;
      double d1 = 0;
      for (int i = 0; i < n; i++) {
        double sc = atol + rtol * Math.abs(y0[i]);
        d0 += (y0[i] / sc) * (y0[i] / sc);
        d1 += (k1[i] / sc) * (k1[i] / sc);
      }
      double h0 = (d0 < 1e-10 || d1 < 1e-10) ? 1e-6 : 0.01 * Math.sqrt(d0 / d1);
      return Math.min(Math.min(h0, span), Integrators.MAX_STEP);
    }

    /** One trial step of size hh from y0; fills y1 and k2..k7; returns the scaled error norm. */
    double attempt(double hh) {
      for (int i = 0; i < n; i++) {
        yt[i] = y0[i] + hh * A21 * k1[i];
      }
      rhs(yt, k2);
      for (int i = 0; i < n; i++) {
        yt[i] = y0[i] + hh * (A31 * k1[i] + A32 * k2[i]);
      }
      rhs(yt, k3);
      for (int i = 0; i < n; i++) {
        yt[i] = y0[i] + hh * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
      }
      rhs(yt, k4);
      for (int i = 0; i < n; i++) {
        yt[i] = y0[i] + hh * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
      }
      rhs(yt, k5);
      for (int i = 0; i < n; i++) {
        yt[i] = y0[i] + hh * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
      }
      rhs(yt, k6);
      for (int i = 0; i < n; i++) {
        y1[i] = y0[i] + hh * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
      }
      rhs(y1, k7);
      double sum = 0;
      for (int i = 0; i < n; i++) {
        double e = hh * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
        double sc = atol + rtol * Math.max(Math.abs(y0[i]), Math.abs(y1[i]));
        sum += (e / sc) * (e / sc);
      }
      return Math.sqrt(sum / n);
    }
  }
}
