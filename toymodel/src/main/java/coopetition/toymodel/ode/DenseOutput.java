package coopetition.toymodel.ode;

import static coopetition.toymodel.ode.Dopri5.D1;
import static coopetition.toymodel.ode.Dopri5.D3;
import static coopetition.toymodel.ode.Dopri5.D4;
import static coopetition.toymodel.ode.Dopri5.D5;
import static coopetition.toymodel.ode.Dopri5.D6;
import static coopetition.toymodel.ode.Dopri5.D7;

/**
 * Shampine's 4th-order dense output of the last accepted DOPRI5 step [t0, t0 + h] (as Hairer's
 * CONTD5): y(th) = y0 + th (r2 + (1-th) (r3 + th (r4 + (1-th) r5))) with th = (t - t0) / h. The
 * output sampler and the event scan both read it.
 */
final class DenseOutput {
  final int n;
  /** The step's start state: the stepper's own array, read here, not copied. */
  final double[] y0;
  final double[] r2;
  final double[] r3;
  final double[] r4;
  final double[] r5;
  double t0;
  double h;

  DenseOutput(double[] y0) {
    this.n = y0.length;
    this.y0 = y0;
    r2 = new double[n];
    r3 = new double[n];
    r4 = new double[n];
    r5 = new double[n];
  }

  /** The coefficients of the accepted step from y0 to y1 with stages k1..k7 (k7 = f(y1), FSAL). */
  void prepare(double start, double step, double[] y1, double[] k1, double[] k3, double[] k4, double[] k5,
      double[] k6, double[] k7) {
    t0 = start;
    h = step;
    for (int i = 0; i < n; i++) {
      double dy = y1[i] - y0[i];
      double bspl = h * k1[i] - dy;
      r2[i] = dy;
      r3[i] = bspl;
      r4[i] = dy - h * k7[i] - bspl;
      r5[i] = h * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
    }
  }

  /** The dense output at time t inside the step. */
  void interpolate(double t, double[] out) {
    double th = (t - t0) / h;
    double th1 = 1 - th;
    for (int i = 0; i < n; i++) {
      out[i] = y0[i] + th * (r2[i] + th1 * (r3[i] + th * (r4[i] + th1 * r5[i])));
    }
  }
}
