package coopetition.toymodel.ode;

/**
 * Records the output times inside a DOPRI5 step off its {@link DenseOutput}, in vectorisable blocks.
 * The reduced system interpolates its 8 coordinates per output. The full system never forms the
 * 220-dimensional states: the dense output is y(th) = y0 + th r2 + th(1-th) r3 + th^2(1-th) r4 +
 * th^2(1-th)^2 r5, so |x|^2 and x*.x at any th follow from the 5 x 5 Gram matrix of (y0, r2..r5)
 * per vector, once per step. All scratch is allocated once per solve.
 */
final class OutputSampler {
  /** Outputs sampled together; the inner loops run over them. */
  private static final int BLOCK = 128;
  /** Above this state dimension, outputs are sampled through Gram matrices instead of states. */
  private static final int GRAM_THRESHOLD = 16;

  private final Dynamics dyn;
  private final Recorder rec;
  private final DenseOutput dense;
  private final int n;
  // Block scratch: states column-wise, their moments, and the step fractions.
  private final double[][] ys;
  private final double[][] sq = new double[4][BLOCK];
  private final double[][] p = new double[4][BLOCK];
  private final double[] theta = new double[BLOCK];
  private final double[] theta1 = new double[BLOCK];
  private final double[][][] gram;
  private final double[][] gramTarget;
  private final double[][] coef;
  private final double[][] basis;

  OutputSampler(Dynamics dyn, Recorder rec, DenseOutput dense) {
    this.dyn = dyn;
    this.rec = rec;
    this.dense = dense;
    this.n = dense.n;
    boolean byGram = n > GRAM_THRESHOLD;
    ys = byGram ? null : new double[n][BLOCK];
    gram = byGram ? new double[4][5][5] : null;
    gramTarget = byGram ? new double[4][5] : null;
    coef = byGram ? new double[5][BLOCK] : null;
    basis = byGram ? new double[][] {dense.y0, dense.r2, dense.r3, dense.r4, dense.r5} : null;
  }

  /** Records every output time up to {@code until} (inside the current step). */
  void sampleUpTo(double until) {
    if (gram != null) {
      sampleByGram(until);
      return;
    }
    double t0 = dense.t0;
    double h = dense.h;
    int len;
    while ((len = rec.countUpTo(until, BLOCK)) > 0) {
      int k0 = rec.next();
      for (int j = 0; j < len; j++) {
        double th = (rec.time(k0 + j) - t0) / h;
        theta[j] = th;
        theta1[j] = 1 - th;
      }
      for (int i = 0; i < n; i++) {
        double a0 = dense.y0[i];
        double a2 = dense.r2[i];
        double a3 = dense.r3[i];
        double a4 = dense.r4[i];
        double a5 = dense.r5[i];
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

  private void sampleByGram(double until) {
    int len = rec.countUpTo(until, BLOCK);
    if (len == 0) {
      return;
    }
    double t0 = dense.t0;
    double h = dense.h;
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
}
