package coopetition.toymodel.ode;

import coopetition.toymodel.SolverSettings;
import coopetition.toymodel.Trajectory;
import coopetition.toymodel.model.Terms;

/**
 * A compact Dormand-Prince 5(4) integrator (Hairer's DOPRI5: FSAL, error-per-step control, Shampine's
 * 4th-order dense output) written for the toy model's flow. Everything is allocated once per solve;
 * outputs are read off the dense output, and events (transitions and the early stop) are located on
 * it by the Illinois method, so they cost a few interpolations each.
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

  /** Outputs sampled together; the inner loops run over them. */
  private static final int BLOCK = 128;
  /** Above this state dimension, outputs are sampled through Gram matrices instead of states. */
  private static final int GRAM_THRESHOLD = 16;
  private static final double SAFETY = 0.9;
  private static final double MIN_FACTOR = 0.2;
  private static final double MAX_FACTOR = 10.0;
  /** Events are located to this many time units. */
  private static final double EVENT_TIME_ACCURACY = 1e-7;

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
    final double threshold;
    final boolean events;
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
    final double[] r2;
    final double[] r3;
    final double[] r4;
    final double[] r5;
    final Terms terms = new Terms();
    final Terms probe = new Terms();
    long evaluations;
    // Current step [t0, t0 + h] for the dense output.
    double t0;
    double h;
    // Event state.
    final EventSet ev;
    // Block sampling scratch: states column-wise, their moments, and the step fractions.
    final double[][] ys;
    final double[][] sq = new double[4][BLOCK];
    final double[][] p = new double[4][BLOCK];
    final double[] theta = new double[BLOCK];
    final double[] theta1 = new double[BLOCK];
    final double[][][] gram;
    final double[][] gramTarget;
    final double[][] coef;
    final double[][] basis = new double[5][];

    Run(Dynamics dyn, SolverSettings s, double[] times) {
      this.dyn = dyn;
      this.n = dyn.dimension();
      this.rtol = s.rtol();
      this.atol = s.atol();
      this.threshold = s.lossThreshold();
      this.events = s.detectEvents();
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
      r2 = new double[n];
      r3 = new double[n];
      r4 = new double[n];
      r5 = new double[n];
      ev = new EventSet(dyn.model().l1Null(), dyn.model().l2Null(), threshold);
      // The full system samples through per-step Gram matrices (see sampleBlocks).
      boolean byGram = n > GRAM_THRESHOLD;
      ys = byGram ? null : new double[n][BLOCK];
      gram = byGram ? new double[4][5][5] : null;
      gramTarget = byGram ? new double[4][5] : null;
      coef = byGram ? new double[5][BLOCK] : null;
    }

    void rhs(double[] y, double[] out) {
      dyn.evaluate(y, terms);
      dyn.flow(y, terms, out);
      evaluations++;
    }

    Trajectory run(long start) {
      double tEnd = times[times.length - 1];
      rhs(y0, k1);
      ev.start(terms);
      double stopTime = ev.stopped() ? 0.0 : Double.NaN;
      while (!rec.done() && rec.nextTime() <= 0) {
        rec.record(y0);
      }
      if (stopTime == 0.0 || tEnd <= 0) {
        rec.fill(y0);
        return rec.build(events ? ev.events() : null, stopTime, evaluations, System.nanoTime() - start);
      }
      double t = 0;
      h = initialStep(tEnd);
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
        t0 = t;
        prepareDenseOutput();
        double t1 = t + h;
        double stop = step(t, t1);
        if (!Double.isNaN(stop)) {
          stopTime = stop;
          interpolate(stop, yt);
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
      return rec.build(events ? ev.events() : null, stopTime, evaluations, System.nanoTime() - start);
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

    void prepareDenseOutput() {
      for (int i = 0; i < n; i++) {
        double dy = y1[i] - y0[i];
        double bspl = h * k1[i] - dy;
        r2[i] = dy;
        r3[i] = bspl;
        r4[i] = dy - h * k7[i] - bspl;
        r5[i] = h * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
      }
    }

    /** The dense output at time t inside the current step. */
    void interpolate(double t, double[] out) {
      double th = (t - t0) / h;
      double th1 = 1 - th;
      for (int i = 0; i < n; i++) {
        out[i] = y0[i] + th * (r2[i] + th1 * (r3[i] + th * (r4[i] + th1 * r5[i])));
      }
    }

    /**
     * Records outputs in (t0, t1] and locates events there; returns the stop time if Loss fell
     * below the threshold in this step (outputs after it are then left to the caller), else NaN.
     */
    double step(double ta, double t1) {
      // Terms of y1 are in `terms` from the FSAL evaluation; keep them for the end-of-step check.
      double l1End = terms.l1;
      double l2End = terms.l2;
      double lossEnd = terms.loss;
      double stop = Double.NaN;
      if (ev.active()) {
        stop = ev.scan(this, ta, t1, l1End, l2End, lossEnd);
      }
      double until = Double.isNaN(stop) ? t1 : stop;
      sampleBlocks(until);
      return stop;
    }

    /**
     * Outputs up to {@code until} in vectorisable blocks. The reduced system interpolates its 8
     * coordinates per output. The full system never forms the 220-dimensional states: the dense
     * output is y(th) = y0 + th r2 + th(1-th) r3 + th^2(1-th) r4 + th^2(1-th)^2 r5, so |x|^2 and
     * x*.x at any th follow from the 5 x 5 Gram matrix of (y0, r2..r5) per vector, once per step.
     */
    void sampleBlocks(double until) {
      if (gram != null) {
        sampleBlocksByGram(until);
        return;
      }
      int len;
      while ((len = rec.countUpTo(until, BLOCK)) > 0) {
        int k0 = rec.next();
        for (int j = 0; j < len; j++) {
          double th = (rec.time(k0 + j) - t0) / h;
          theta[j] = th;
          theta1[j] = 1 - th;
        }
        for (int i = 0; i < n; i++) {
          double a0 = y0[i];
          double a2 = r2[i];
          double a3 = r3[i];
          double a4 = r4[i];
          double a5 = r5[i];
          double[] yi = ys[i];
          for (int j = 0; j < len; j++) {
            double th = theta[j];
            double th1 = theta1[j];
            yi[j] = a0 + th * (a2 + th1 * (a3 + th * (a4 + th1 * a5)));
          }
        }
        dyn.momentsBlock(ys, len, sq, p);
        rec.recordBlock(sq, p, len);
      }
    }

    void sampleBlocksByGram(double until) {
      int len = rec.countUpTo(until, BLOCK);
      if (len == 0) {
        return;
      }
      basis[0] = y0;
      basis[1] = r2;
      basis[2] = r3;
      basis[3] = r4;
      basis[4] = r5;
      dyn.blockGram(basis, 5, gram, gramTarget);
      do {
        int k0 = rec.next();
        for (int j = 0; j < len; j++) {
          double th = (rec.time(k0 + j) - t0) / h;
          double th1 = 1 - th;
          coef[1][j] = th;
          coef[2][j] = th * th1;
          coef[3][j] = th * th * th1;
          coef[4][j] = coef[3][j] * th1;
        }
        for (int v = 0; v < 4; v++) {
          double[][] g = gram[v];
          double[] pt = gramTarget[v];
          double[] sqv = sq[v];
          double[] pv = p[v];
          double[] c1 = coef[1];
          double[] c2 = coef[2];
          double[] c3 = coef[3];
          double[] c4 = coef[4];
          for (int j = 0; j < len; j++) {
            double a1 = c1[j];
            double a2 = c2[j];
            double a3 = c3[j];
            double a4 = c4[j];
            // c^T G c with c = (1, a1, a2, a3, a4); G symmetric.
            sqv[j] = g[0][0]
                + 2 * (a1 * g[0][1] + a2 * g[0][2] + a3 * g[0][3] + a4 * g[0][4])
                + a1 * (a1 * g[1][1] + 2 * (a2 * g[1][2] + a3 * g[1][3] + a4 * g[1][4]))
                + a2 * (a2 * g[2][2] + 2 * (a3 * g[2][3] + a4 * g[2][4]))
                + a3 * (a3 * g[3][3] + 2 * a4 * g[3][4])
                + a4 * a4 * g[4][4];
            pv[j] = pt[0] + a1 * pt[1] + a2 * pt[2] + a3 * pt[3] + a4 * pt[4];
          }
        }
        rec.recordBlock(sq, p, len);
        len = rec.countUpTo(until, BLOCK);
      } while (len > 0);
    }

    /** Losses of the dense output at t (into probe). */
    Terms probe(double t) {
      interpolate(t, yt);
      dyn.evaluate(yt, probe);
      return probe;
    }
  }

  /**
   * The transitions of the coopetition story and the early stop, found as sign changes of
   * g = L1 - l1Null/10, L2 - l2Null/10, L1 - L2 (after mechanism 1 is learned) and Loss - threshold
   * at the step ends, then located on the dense output.
   */
  private static final class EventSet {
    final double level1;
    final double level2;
    final double threshold;
    double mech1 = Double.NaN;
    double mech2 = Double.NaN;
    double cross = Double.NaN;
    boolean stopped;
    // g values at the start of the current step.
    double g1;
    double g2;
    double g3;
    double g4;

    EventSet(double l1Null, double l2Null, double threshold) {
      this.level1 = 0.1 * l1Null;
      this.level2 = 0.1 * l2Null;
      this.threshold = threshold;
    }

    void start(Terms t) {
      g1 = t.l1 - level1;
      g2 = t.l2 - level2;
      g3 = t.l1 - t.l2;
      g4 = t.loss - threshold;
      if (g1 < 0) {
        mech1 = 0;
        if (g3 > 0) {
          cross = 0;
        }
      }
      if (g2 < 0) {
        mech2 = 0;
      }
      stopped = threshold > 0 && g4 < 0;
    }

    boolean active() {
      return true;
    }

    /** Checks the step [ta, tb]; records transitions; returns the stop time or NaN. */
    double scan(Run run, double ta, double tb, double l1, double l2, double loss) {
      double e1 = l1 - level1;
      double e2 = l2 - level2;
      double e3 = l1 - l2;
      double e4 = loss - threshold;
      double stop = Double.NaN;
      if (threshold > 0 && g4 >= 0 && e4 < 0) {
        stop = locate(run, ta, tb, g4, e4, 3);
      }
      double limit = Double.isNaN(stop) ? tb : stop;
      if (Double.isNaN(mech1) && g1 >= 0 && e1 < 0) {
        double t = locate(run, ta, tb, g1, e1, 0);
        if (t <= limit) {
          mech1 = t;
        }
      }
      if (Double.isNaN(mech2) && g2 >= 0 && e2 < 0) {
        double t = locate(run, ta, tb, g2, e2, 1);
        if (t <= limit) {
          mech2 = t;
        }
      }
      if (Double.isNaN(cross) && !Double.isNaN(mech1)) {
        if (g3 <= 0 && e3 > 0) {
          double t = locate(run, ta, tb, g3, e3, 2);
          if (t <= limit) {
            cross = Math.max(t, mech1);
          }
        } else if (g3 > 0 && mech1 >= ta) {
          // L2 was already below L1 when mechanism 1 was learned in this step.
          cross = mech1;
        }
      }
      g1 = e1;
      g2 = e2;
      g3 = e3;
      g4 = e4;
      return stop;
    }

    static double g(Terms t, int which, double level1, double level2, double threshold) {
      return switch (which) {
        case 0 -> t.l1 - level1;
        case 1 -> t.l2 - level2;
        case 2 -> t.l1 - t.l2;
        default -> t.loss - threshold;
      };
    }

    /** Root of g on the dense output in [ta, tb] by the Illinois variant of regula falsi. */
    double locate(Run run, double ta, double tb, double ga, double gb, int which) {
      double a = ta;
      double b = tb;
      double fa = ga;
      double fb = gb;
      int side = 0;
      for (int it = 0; it < 100 && b - a > EVENT_TIME_ACCURACY; it++) {
        double c = (a * fb - b * fa) / (fb - fa);
        if (!(c > a && c < b)) {
          c = 0.5 * (a + b);
        }
        double fc = g(run.probe(c), which, level1, level2, threshold);
        if (fc == 0) {
          return c;
        }
        if ((fc > 0) == (fa > 0)) {
          a = c;
          fa = fc;
          if (side == -1) {
            fb *= 0.5;
          }
          side = -1;
        } else {
          b = c;
          fb = fc;
          if (side == 1) {
            fa *= 0.5;
          }
          side = 1;
        }
      }
      // The first time with g on the far side: b (g(b) has the end-of-step sign).
      return b;
    }

    Trajectory.Events events() {
      return new Trajectory.Events(mech1, mech2, cross);
    }

    boolean stopped() {
      return stopped;
    }
  }
}
