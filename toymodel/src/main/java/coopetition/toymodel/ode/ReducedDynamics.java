package coopetition.toymodel.ode;

import coopetition.toymodel.Clamp;
import coopetition.toymodel.SolverSettings;
import coopetition.toymodel.ToyVector;
import coopetition.toymodel.VectorTrace;
import coopetition.toymodel.model.Terms;
import coopetition.toymodel.model.ToyModel;

/**
 * The exact 8-scalar system. Every gradient is s_x x - r_x x*, so x(t) = u_x(t) x(0) + v_x(t) x*
 * with u(0) = 1, v(0) = 0, and
 * <pre>
 *   flow: u' = -s u,  v' = -s v + r        GD: u <- (1 - eta s) u,  v <- (1 - eta s) v + eta r
 * </pre>
 * The state is (u_a, v_a, u_b, v_b, u_c, v_c, u_d, v_d); moments come from the Gram entries.
 */
final class ReducedDynamics extends Dynamics {
  private final double[] g00 = new double[4];
  private final double[] g01 = new double[4];
  private final double[] g11 = new double[4];

  ReducedDynamics(ToyModel model, SolverSettings settings) {
    super(model, settings);
    for (ToyVector v : ToyVector.values()) {
      g00[v.ordinal()] = model.gram00(v);
      g01[v.ordinal()] = model.gram01(v);
      g11[v.ordinal()] = model.gram11(v);
    }
  }

  @Override
  public int dimension() {
    return 8;
  }

  @Override
  public double[] initialState() {
    double[] y = new double[8];
    for (int v = 0; v < 4; v++) {
      boolean atTarget = clampMode[v] == Clamp.Mode.TARGET;
      y[2 * v] = atTarget ? 0 : 1;
      y[2 * v + 1] = atTarget ? 1 : 0;
    }
    return y;
  }

  @Override
  protected void moments(double[] y, Terms t) {
    for (int v = 0; v < 4; v++) {
      double u = y[2 * v];
      double w = y[2 * v + 1];
      t.sq[v] = u * u * g00[v] + 2 * u * w * g01[v] + w * w * g11[v];
      t.p[v] = u * g01[v] + w * g11[v];
    }
  }

  @Override
  protected void momentsBlock(double[][] ys, int len, double[][] sq, double[][] p) {
    for (int v = 0; v < 4; v++) {
      double[] u = ys[2 * v];
      double[] w = ys[2 * v + 1];
      double[] sqv = sq[v];
      double[] pv = p[v];
      double a = g00[v];
      double b = 2 * g01[v];
      double c = g11[v];
      double e = g01[v];
      for (int j = 0; j < len; j++) {
        sqv[j] = u[j] * (u[j] * a + w[j] * b) + w[j] * w[j] * c;
        pv[j] = u[j] * e + w[j] * c;
      }
    }
  }

  @Override
  public void flow(double[] y, Terms t, double[] yDot) {
    for (int v = 0; v < 4; v++) {
      if (frozen[v]) {
        yDot[2 * v] = 0;
        yDot[2 * v + 1] = 0;
      } else {
        double s = t.s[v];
        yDot[2 * v] = -s * y[2 * v];
        yDot[2 * v + 1] = t.r[v] - s * y[2 * v + 1];
      }
    }
  }

  @Override
  public void descend(double[] y, Terms t, double eta) {
    for (int v = 0; v < 4; v++) {
      if (!frozen[v]) {
        double keep = 1 - eta * t.s[v];
        y[2 * v] *= keep;
        y[2 * v + 1] = keep * y[2 * v + 1] + eta * t.r[v];
      }
    }
  }

  @Override
  public void progress(double[] y, Terms t, int k, VectorTrace[] out) {
    progressFromMoments(t, k, out);
  }
}
