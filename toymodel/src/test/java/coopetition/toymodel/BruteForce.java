package coopetition.toymodel;

/** Tensor-mean definitions of the losses, straight from TOY-MODEL.md, for small dims only. */
final class BruteForce {
  private BruteForce() {}

  /** {L1, L2, Cost, Loss} at x = {a, b, c, d} with targets t. */
  static double[] losses(ToyConfig cfg, double[][] x, double[][] t) {
    double[] a = x[0], b = x[1], c = x[2], d = x[3];
    double[] as = t[0], bs = t[1], cs = t[2], ds = t[3];
    double s1 = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        for (int k = 0; k < c.length; k++) {
          double e = as[i] * bs[j] * cs[k] - a[i] * b[j] * c[k];
          s1 += e * e;
        }
      }
    }
    double s2 = 0;
    for (int l = 0; l < d.length; l++) {
      for (int j = 0; j < b.length; j++) {
        for (int k = 0; k < c.length; k++) {
          double e = ds[l] * bs[j] * cs[k] - d[l] * b[j] * c[k];
          s2 += e * e;
        }
      }
    }
    double s3 = 0;
    for (int i = 0; i < a.length; i++) {
      for (int l = 0; l < d.length; l++) {
        double e = a[i] * d[l];
        s3 += e * e;
      }
    }
    double l1 = 0.5 * s1 / (a.length * b.length * c.length);
    double l2 = 0.5 * s2 / (d.length * b.length * c.length);
    double cost = 0.5 * s3 / (a.length * d.length);
    double norm2 = 0;
    for (double[] v : x) {
      for (double e : v) {
        norm2 += e * e;
      }
    }
    double loss = (l1 + cfg.mu1()) * (l2 + cfg.mu2()) + cfg.alpha() * cost + 0.5 * cfg.weightDecay() * norm2;
    return new double[] {l1, l2, cost, loss};
  }

  /** Central finite differences of the brute-force Loss. */
  static double[][] gradient(ToyConfig cfg, double[][] x, double[][] t, double h) {
    double[][] g = new double[4][];
    for (int v = 0; v < 4; v++) {
      g[v] = new double[x[v].length];
      for (int i = 0; i < x[v].length; i++) {
        double keep = x[v][i];
        x[v][i] = keep + h;
        double up = losses(cfg, x, t)[3];
        x[v][i] = keep - h;
        double down = losses(cfg, x, t)[3];
        x[v][i] = keep;
        g[v][i] = (up - down) / (2 * h);
      }
    }
    return g;
  }
}
