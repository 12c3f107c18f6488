package coopetition.toymodel.ode;

import coopetition.toymodel.Clamp;
import coopetition.toymodel.SolverSettings;
import coopetition.toymodel.VectorTrace;
import coopetition.toymodel.model.Terms;
import coopetition.toymodel.model.ToyModel;

/** The full-dimensional model: the state is a | b | c | d concatenated (220 numbers in the paper). */
final class FullDynamics extends Dynamics {
  private final int[] offset = new int[5];
  private final double[][] targets;
  private final double[][] initials;

  FullDynamics(ToyModel model, SolverSettings settings) {
    super(model, settings);
    this.targets = model.problem().targetsUnsafe();
    this.initials = model.problem().initialsUnsafe();
    for (int v = 0; v < 4; v++) {
      offset[v + 1] = offset[v] + targets[v].length;
    }
  }

  @Override
  public int dimension() {
    return offset[4];
  }

  @Override
  public double[] initialState() {
    double[] y = new double[dimension()];
    for (int v = 0; v < 4; v++) {
      double[] src = clampMode[v] == Clamp.Mode.TARGET ? targets[v] : initials[v];
      System.arraycopy(src, 0, y, offset[v], src.length);
    }
    return y;
  }

  @Override
  protected void moments(double[] y, Terms t) {
    for (int v = 0; v < 4; v++) {
      double[] xs = targets[v];
      int o = offset[v];
      double sq = 0;
      double p = 0;
      for (int i = 0; i < xs.length; i++) {
        double x = y[o + i];
        sq += x * x;
        p += x * xs[i];
      }
      t.sq[v] = sq;
      t.p[v] = p;
    }
  }

  @Override
  protected void momentsBlock(double[][] ys, int len, double[][] sq, double[][] p) {
    for (int v = 0; v < 4; v++) {
      double[] xs = targets[v];
      double[] sqv = sq[v];
      double[] pv = p[v];
      java.util.Arrays.fill(sqv, 0, len, 0.0);
      java.util.Arrays.fill(pv, 0, len, 0.0);
      for (int i = 0; i < xs.length; i++) {
        double[] yi = ys[offset[v] + i];
        double ti = xs[i];
        for (int j = 0; j < len; j++) {
          sqv[j] += yi[j] * yi[j];
          pv[j] += yi[j] * ti;
        }
      }
    }
  }

  @Override
  protected void blockGram(double[][] basis, int m, double[][][] g, double[][] pt) {
    for (int v = 0; v < 4; v++) {
      double[] xs = targets[v];
      int o = offset[v];
      int len = xs.length;
      for (int a = 0; a < m; a++) {
        double[] ba = basis[a];
        double tp = 0;
        for (int i = 0; i < len; i++) {
          tp += ba[o + i] * xs[i];
        }
        pt[v][a] = tp;
        for (int b = a; b < m; b++) {
          double[] bb = basis[b];
          double dot = 0;
          for (int i = 0; i < len; i++) {
            dot += ba[o + i] * bb[o + i];
          }
          g[v][a][b] = dot;
          g[v][b][a] = dot;
        }
      }
    }
  }

  @Override
  public void flow(double[] y, Terms t, double[] yDot) {
    for (int v = 0; v < 4; v++) {
      double[] xs = targets[v];
      int o = offset[v];
      if (frozen[v]) {
        java.util.Arrays.fill(yDot, o, o + xs.length, 0.0);
        continue;
      }
      double s = t.s[v];
      double r = t.r[v];
      for (int i = 0; i < xs.length; i++) {
        yDot[o + i] = r * xs[i] - s * y[o + i];
      }
    }
  }

  @Override
  public void descend(double[] y, Terms t, double eta) {
    for (int v = 0; v < 4; v++) {
      if (frozen[v]) {
        continue;
      }
      double[] xs = targets[v];
      int o = offset[v];
      double keep = 1 - eta * t.s[v];
      double pull = eta * t.r[v];
      for (int i = 0; i < xs.length; i++) {
        y[o + i] = keep * y[o + i] + pull * xs[i];
      }
    }
  }

  @Override
  public void progress(double[] y, Terms t, int k, VectorTrace[] out) {
    for (int v = 0; v < 4; v++) {
      double[] xs = targets[v];
      int o = offset[v];
      double s = frozen[v] ? 0 : t.s[v];
      double r = frozen[v] ? 0 : t.r[v];
      double g2 = 0;
      double d2 = 0;
      for (int i = 0; i < xs.length; i++) {
        double x = y[o + i];
        double g = s * x - r * xs[i];
        g2 += g * g;
        double e = x - xs[i];
        d2 += e * e;
      }
      double sq = t.sq[v];
      double xs2 = targetNorm2[v];
      out[v].norm()[k] = Math.sqrt(sq);
      out[v].gradNorm()[k] = Math.sqrt(g2);
      out[v].cosineDistance()[k] = sq == 0 ? 1.0 : 1.0 - t.p[v] * t.p[v] / (sq * xs2);
      out[v].distance()[k] = Math.sqrt(d2);
    }
  }
}
