package coopetition.toymodel.model;

import coopetition.toymodel.ToyConfig;
import coopetition.toymodel.ToyVector;

/**
 * The closed forms of the minimal model: losses and gradients in O(1) from the eight scalars |x|^2
 * and x*.x (computing those is O(n)), instead of O(na nb nc + nd nb nc) tensor means.
 *
 * <pre>
 *   L1   = (K1 - 2 pa pb pc + A B C) / (2 N1)      K1 = |a*|^2 |b*|^2 |c*|^2, N1 = na nb nc
 *   L2   = (K2 - 2 pd pb pc + D B C) / (2 N2)      K2 = |d*|^2 |b*|^2 |c*|^2, N2 = nd nb nc
 *   Cost = A D / (2 N3)                            N3 = na nd
 * </pre>
 *
 * Every gradient has the form s_x x - r_x x* (product rule with w1 = (L2 + mu2)/N1,
 * w2 = (L1 + mu1)/N2, w3 = alpha/N3), which is why each vector stays in span{x(0), x*}. Immutable
 * and thread-safe.
 */
public final class ToyModel {
  private final ToyProblem problem;
  private final double alpha;
  private final double mu1;
  private final double mu2;
  private final double lambda;
  private final double n1;
  private final double n2;
  private final double n3;
  private final double k1;
  private final double k2;
  /** Gram entries per vector: |x(0)|^2, x(0).x*, |x*|^2. */
  private final double[] g00 = new double[4];
  private final double[] g01 = new double[4];
  private final double[] g11 = new double[4];

  public ToyModel(ToyProblem problem) {
    this.problem = problem;
    ToyConfig c = problem.config();
    this.alpha = c.alpha();
    this.mu1 = c.mu1();
    this.mu2 = c.mu2();
    this.lambda = c.weightDecay();
    this.n1 = (double) c.na() * c.nb() * c.nc();
    this.n2 = (double) c.nd() * c.nb() * c.nc();
    this.n3 = (double) c.na() * c.nd();
    for (int v = 0; v < 4; v++) {
      double[] x0 = problem.initialView(v);
      double[] xs = problem.targetView(v);
      g00[v] = dot(x0, x0);
      g01[v] = dot(x0, xs);
      g11[v] = dot(xs, xs);
    }
    this.k1 = g11[0] * g11[1] * g11[2];
    this.k2 = g11[3] * g11[1] * g11[2];
  }

  public static ToyModel of(ToyConfig config) {
    return new ToyModel(ToyProblem.sample(config));
  }

  public ToyProblem problem() {
    return problem;
  }

  public ToyConfig config() {
    return problem.config();
  }

  /** L1 with a = 0: the plateau value mechanism 1 returns to when it is forgotten. */
  public double l1Null() {
    return k1 / (2 * n1);
  }

  /** L2 with d = 0. */
  public double l2Null() {
    return k2 / (2 * n2);
  }

  public double gram00(ToyVector v) {
    return g00[v.ordinal()];
  }

  public double gram01(ToyVector v) {
    return g01[v.ordinal()];
  }

  public double gram11(ToyVector v) {
    return g11[v.ordinal()];
  }

  /** Fills {@code t}'s losses and gradient coefficients from its {@code sq} and {@code p}. */
  public void evaluate(Terms t) {
    double a = t.sq[0];
    double b = t.sq[1];
    double c = t.sq[2];
    double d = t.sq[3];
    double pa = t.p[0];
    double pb = t.p[1];
    double pc = t.p[2];
    double pd = t.p[3];
    double bc = b * c;
    double pbpc = pb * pc;
    double l1 = (k1 - 2 * pa * pbpc + a * bc) / (2 * n1);
    double l2 = (k2 - 2 * pd * pbpc + d * bc) / (2 * n2);
    double cost = a * d / (2 * n3);
    t.l1 = l1;
    t.l2 = l2;
    t.cost = cost;
    t.loss = (l1 + mu1) * (l2 + mu2) + alpha * cost + 0.5 * lambda * (a + b + c + d);
    double w1 = (l2 + mu2) / n1;
    double w2 = (l1 + mu1) / n2;
    double w3 = alpha / n3;
    double shared = w1 * a + w2 * d;
    double sharedTarget = w1 * pa + w2 * pd;
    t.s[0] = w1 * bc + w3 * d + lambda;
    t.r[0] = w1 * pbpc;
    t.s[1] = shared * c + lambda;
    t.r[1] = sharedTarget * pc;
    t.s[2] = shared * b + lambda;
    t.r[2] = sharedTarget * pb;
    t.s[3] = w2 * bc + w3 * a + lambda;
    t.r[3] = w2 * pbpc;
  }

  /** Only the losses of {@link #evaluate(Terms)} (no gradient coefficients): for sampling outputs. */
  public void losses(Terms t) {
    double a = t.sq[0];
    double b = t.sq[1];
    double c = t.sq[2];
    double d = t.sq[3];
    double bc = b * c;
    double pbpc = t.p[1] * t.p[2];
    double l1 = (k1 - 2 * t.p[0] * pbpc + a * bc) / (2 * n1);
    double l2 = (k2 - 2 * t.p[3] * pbpc + d * bc) / (2 * n2);
    double cost = a * d / (2 * n3);
    t.l1 = l1;
    t.l2 = l2;
    t.cost = cost;
    t.loss = (l1 + mu1) * (l2 + mu2) + alpha * cost + 0.5 * lambda * (a + b + c + d);
  }

  /**
   * Losses of {@code len} states at once from their moments {@code sq[v][j]}, {@code p[v][j]}, written
   * to the output arrays from index {@code at}. Plain loops over j, which the JIT vectorises: this
   * is the inner loop of sampling a trajectory at many output times.
   */
  public void lossesBlock(double[][] sq, double[][] p, int len, double[] l1Out, double[] l2Out,
      double[] costOut, double[] lossOut, int at) {
    double[] a = sq[0];
    double[] b = sq[1];
    double[] c = sq[2];
    double[] d = sq[3];
    double[] pa = p[0];
    double[] pb = p[1];
    double[] pc = p[2];
    double[] pd = p[3];
    double inv1 = 0.5 / n1;
    double inv2 = 0.5 / n2;
    double inv3 = 0.5 / n3;
    double halfLambda = 0.5 * lambda;
    for (int j = 0; j < len; j++) {
      double bc = b[j] * c[j];
      double pbpc = pb[j] * pc[j];
      double l1 = (k1 - 2 * pa[j] * pbpc + a[j] * bc) * inv1;
      double l2 = (k2 - 2 * pd[j] * pbpc + d[j] * bc) * inv2;
      double cost = a[j] * d[j] * inv3;
      l1Out[at + j] = l1;
      l2Out[at + j] = l2;
      costOut[at + j] = cost;
      lossOut[at + j] = (l1 + mu1) * (l2 + mu2) + alpha * cost + halfLambda * (a[j] + b[j] + c[j] + d[j]);
    }
  }

  /** Losses and gradients at full vectors {@code x[v]}; fills {@code grad[v]} (same shapes). */
  public void evaluate(double[][] x, Terms t, double[][] grad) {
    double[][] targets = problem.targetsUnsafe();
    for (int v = 0; v < 4; v++) {
      t.sq[v] = dot(x[v], x[v]);
      t.p[v] = dot(targets[v], x[v]);
    }
    evaluate(t);
    if (grad != null) {
      for (int v = 0; v < 4; v++) {
        double s = t.s[v];
        double r = t.r[v];
        double[] xv = x[v];
        double[] tv = targets[v];
        double[] gv = grad[v];
        for (int i = 0; i < xv.length; i++) {
          gv[i] = s * xv[i] - r * tv[i];
        }
      }
    }
  }

  static double dot(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }
}
