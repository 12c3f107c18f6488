package coopetition.comparison.fit;

import java.util.Arrays;

/**
 * The joint 95% likelihood region {SSE ≤ limit} (the F-test region of all free parameters at once)
 * around one optimum, explored two ways; both record the extent, per parameter, of every point they
 * find inside the region, and the joint intervals widen to that {@link Envelope}.
 *
 * <ul>
 *   <li>{@link #walk}: straight lines out of the optimum along each parameter's profile trace (the
 *       direction the others follow when it moves, from the covariance). The Wald ellipse is exact only
 *       for a linear model; the walk follows the real SSE, so it catches the skewed directions the
 *       toy's time, init scale and offsets produce.
 *   <li>{@link #profile}: profile likelihood. Hold one parameter at a value, refit all the others, and
 *       push the value outwards until the best refit leaves the region. Every refitted point lies in
 *       the region, so the truth lies inside these intervals whenever it lies in the region (about
 *       95% of the time), however curved the region is.
 * </ul>
 */
final class JointRegion {
  private final Objective obj;
  private final Objective.Data data;
  private final double[] u;
  private final Covariance cov;
  private final double limit;
  private final Envelope envelope;

  /** Per parameter (physical units, indexed like the fit's parameters), the extent of the points found inside. */
  static final class Envelope {
    private final double[] lower;
    private final double[] upper;

    Envelope(int size) {
      lower = new double[size];
      upper = new double[size];
      Arrays.fill(lower, Double.POSITIVE_INFINITY);
      Arrays.fill(upper, Double.NEGATIVE_INFINITY);
    }

    double lower(int i) {
      return lower[i];
    }

    double upper(int i) {
      return upper[i];
    }

    /** Widens to cover a point of the free parameters (unit coordinates). */
    void include(Objective obj, double[] v) {
      int[] free = obj.freeIndices();
      for (int j = 0; j < v.length; j++) {
        double x = obj.freeParameter(j).fromUnit(v[j]);
        lower[free[j]] = Math.min(lower[free[j]], x);
        upper[free[j]] = Math.max(upper[free[j]], x);
      }
    }
  }

  /**
   * @param u the optimum (unit coordinates of the free parameters)
   * @param cov the covariance there, which gives the directions and scales of the search
   * @param limit the SSE at the region's edge
   */
  JointRegion(Objective obj, Objective.Data data, double[] u, Covariance cov, double limit) {
    this.obj = obj;
    this.data = data;
    this.u = u.clone();
    this.cov = cov;
    this.limit = limit;
    this.envelope = new Envelope(obj.parameters().size());
  }

  Envelope envelope() {
    return envelope;
  }

  /** Walks straight out along each parameter's profile trace, both ways, in steps of standard errors. */
  JointRegion walk() {
    int p = u.length;
    for (int j = 0; j < p; j++) {
      double cjj = cov.variance(j);
      if (!(cjj > 0) || !Double.isFinite(cjj)) {
        continue;
      }
      double[] dir = new double[p];
      for (int a = 0; a < p; a++) {
        dir[a] = cov.get(a, j) / Math.sqrt(cjj); // one standard error of u_j, others following
      }
      for (int sign = -1; sign <= 1; sign += 2) {
        int sg = sign;
        Bracketing.walkOut(2.0, 1.6, 8, 6, d -> {
          double[] v = along(dir, sg * d);
          boolean inside = fitsWithin(v);
          if (inside) {
            envelope.include(obj, v);
          }
          return new Bracketing.Step(d, inside, inside && atEdge(v));
        });
      }
    }
    return this;
  }

  /** Profile likelihood for each free parameter, both ways, starting three standard errors out. */
  JointRegion profile() {
    int p = u.length;
    if (p < 2) {
      return this;
    }
    for (int j = 0; j < p; j++) {
      double cjj = cov.variance(j);
      if (!(cjj > 0) || !Double.isFinite(cjj)) {
        continue;
      }
      int jj = j;
      for (int sign = -1; sign <= 1; sign += 2) {
        int sg = sign;
        Bracketing.walkOut(3 * Math.sqrt(cjj), 1.7, 4, 2, d -> {
          double uj = Math.min(1, Math.max(0, u[jj] + sg * d));
          boolean inside = profileFits(jj, uj);
          // On the box edge inside the region, the interval reaches the edge.
          return new Bracketing.Step(Math.abs(uj - u[jj]), inside, inside && (uj <= 0 || uj >= 1));
        });
      }
    }
    return this;
  }

  /** Refits with free parameter j held at unit value uj; records the refit if it lies in the region. */
  private boolean profileFits(int j, double uj) {
    int p = u.length;
    Objective sub = obj.withFixed(obj.freeIndices()[j], obj.freeParameter(j).fromUnit(uj));
    double[] start = new double[p - 1];
    for (int a = 0, k = 0; a < p; a++) {
      if (a != j) {
        start[k++] = Math.min(1, Math.max(0, u[a] + (uj - u[j]) * cov.get(a, j) / cov.variance(j)));
      }
    }
    ParameterPoint best = LocalPolish.levenbergMarquardt(sub, data, start, 12);
    if (!(best.sse() <= limit)) {
      return false;
    }
    double[] refit = best.unit();
    double[] full = new double[p];
    for (int a = 0, k = 0; a < p; a++) {
      full[a] = a == j ? uj : refit[k++];
    }
    envelope.include(obj, full);
    return true;
  }

  private double[] along(double[] dir, double lambda) {
    double[] v = new double[u.length];
    for (int a = 0; a < u.length; a++) {
      v[a] = Math.min(1, Math.max(0, u[a] + lambda * dir[a]));
    }
    return v;
  }

  private static boolean atEdge(double[] v) {
    for (double x : v) {
      if (x <= 0 || x >= 1) {
        return true;
      }
    }
    return false;
  }

  private boolean fitsWithin(double[] v) {
    Objective.Eval e = obj.eval(v, data);
    return e.ok() && e.sse() <= limit;
  }
}
