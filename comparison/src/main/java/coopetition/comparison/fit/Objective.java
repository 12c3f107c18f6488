package coopetition.comparison.fit;

import coopetition.comparison.runs.Curve;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fit's objective for one discrete variant: weighted squared distance between the transformer
 * curves and the affinely mapped toy curves, y_k ≈ scale_k · toy_k((x − t0)/tau) + offset_k.
 *
 * <p>The affine maps are solved in closed form by linear least squares inside every evaluation
 * (variable projection), so the searches only see the nonlinear parameters (toy parameters, tau,
 * t0). Each curve's residuals are divided by that curve's range, so curves on different scales
 * (cross-entropy near 10, accuracies near 1) count alike. One evaluation = one toy solve.
 */
final class Objective {
  private final ToyCurves model;
  private final int variant;
  private final List<ToyCurve> roles;
  private final FitParameters params;
  private final double[] fixed;
  private final int[] free;
  private final AtomicLong solves;

  Objective(ToyCurves model, int variant, List<ToyCurve> roles, List<FitParameter> params, double[] fixed,
      AtomicLong solves) {
    this(model, variant, roles, new FitParameters(params), fixed, solves);
  }

  /**
   * @param fixed physical values of the held parameters, NaN where a parameter is free
   * @param solves counts toy solves across every objective of one fit
   */
  Objective(ToyCurves model, int variant, List<ToyCurve> roles, FitParameters params, double[] fixed,
      AtomicLong solves) {
    this.model = model;
    this.variant = variant;
    this.roles = roles;
    this.params = params;
    this.fixed = fixed.clone();
    this.free = java.util.stream.IntStream.range(0, params.size()).filter(i -> Double.isNaN(fixed[i])).toArray();
    this.solves = solves;
  }

  /** The same objective with one more parameter held at a physical value (for profile likelihood). */
  Objective withFixed(int paramIndex, double value) {
    double[] f = fixed.clone();
    f[paramIndex] = value;
    return new Objective(model, variant, roles, params, f, solves);
  }

  int variant() {
    return variant;
  }

  FitParameters parameters() {
    return params;
  }

  int freeCount() {
    return free.length;
  }

  int[] freeIndices() {
    return free.clone();
  }

  /** The position of parameter {@code paramIndex} among the free ones, or -1 if it is held. */
  int freePosition(int paramIndex) {
    for (int j = 0; j < free.length; j++) {
      if (free[j] == paramIndex) {
        return j;
      }
    }
    return -1;
  }

  /** The j-th free parameter. */
  FitParameter freeParameter(int j) {
    return params.get(free[j]);
  }

  /** All parameters in physical units, fixed ones included. */
  double[] physical(double[] u) {
    double[] p = fixed.clone();
    for (int j = 0; j < free.length; j++) {
      p[free[j]] = params.get(free[j]).fromUnit(u[j]);
    }
    return p;
  }

  /** The points one evaluation compares with: per curve x, y and a weight. */
  static final class Data {
    final double[][] x;
    final double[][] y;
    final double[] w;
    final double[] ux;
    final int[][] at;
    final int n;

    Data(double[][] x, double[][] y, double[] w) {
      this.x = x;
      this.y = y;
      this.w = w;
      int total = 0;
      for (double[] xi : x) {
        total += xi.length;
      }
      this.n = total;
      double[] all = new double[total];
      int k = 0;
      for (double[] xi : x) {
        System.arraycopy(xi, 0, all, k, xi.length);
        k += xi.length;
      }
      Arrays.sort(all);
      int u = 0;
      for (int i = 0; i < all.length; i++) {
        if (i == 0 || all[i] != all[i - 1]) {
          all[u++] = all[i];
        }
      }
      this.ux = Arrays.copyOf(all, u);
      this.at = new int[x.length][];
      for (int c = 0; c < x.length; c++) {
        at[c] = new int[x[c].length];
        for (int i = 0; i < x[c].length; i++) {
          at[c][i] = Arrays.binarySearch(ux, x[c][i]);
        }
      }
    }

    /** Curves weighted by 1 / their range over {@code weightsFrom} (the full curves). */
    static Data of(List<Curve> curves, List<Curve> weightsFrom) {
      double[][] x = new double[curves.size()][];
      double[][] y = new double[curves.size()][];
      double[] w = new double[curves.size()];
      for (int c = 0; c < curves.size(); c++) {
        x[c] = curves.get(c).x();
        y[c] = curves.get(c).y();
        Curve ref = weightsFrom.get(c);
        w[c] = 1.0 / (ref.yMax() - ref.yMin());
      }
      return new Data(x, y, w);
    }
  }

  /** The outcome of one evaluation; {@code ok} is false where the toy could not be solved. */
  record Eval(double sse, double[] residuals, double[][] affine, double[][] toy, boolean ok) {}

  /** Toy curves for this variant at the data's distinct x, rows in role order. */
  double[][] toyAt(double[] phys, double[] ux) {
    double tau = params.tau(phys);
    double t0 = params.t0(phys);
    double[] t = new double[ux.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = Math.max(0, (ux[i] - t0) / tau);
    }
    solves.incrementAndGet();
    double[][] all = model.evaluate(params.toyValues(phys), variant, t);
    double[][] out = new double[roles.size()][];
    for (int r = 0; r < roles.size(); r++) {
      out[r] = all[roles.get(r).ordinal()];
      for (double v : out[r]) {
        if (!Double.isFinite(v)) {
          throw new ArithmeticException("toy curve not finite");
        }
      }
    }
    return out;
  }

  Eval eval(double[] u, Data d) {
    double[][] toy;
    try {
      toy = toyAt(physical(u), d.ux);
    } catch (RuntimeException e) { // the toy cannot be solved here (blow-up, integrator failure)
      return penalty(d);
    }
    double[][] affine = new double[d.x.length][];
    double[] res = new double[d.n];
    double sse = 0;
    int k = 0;
    for (int c = 0; c < d.x.length; c++) {
      int n = d.x[c].length;
      double[] f = new double[n];
      for (int i = 0; i < n; i++) {
        f[i] = toy[c][d.at[c][i]];
      }
      affine[c] = affine(f, d.y[c]);
      for (int i = 0; i < n; i++) {
        double r = d.w[c] * (d.y[c][i] - affine[c][0] * f[i] - affine[c][1]);
        res[k++] = r;
        sse += r * r;
      }
    }
    return new Eval(sse, res, affine, toy, true);
  }

  /** Weighted model values with the affine maps held fixed (for the full Jacobian). */
  double[] weightedPrediction(double[] u, double[][] affine, Data d) {
    double[][] toy = toyAt(physical(u), d.ux);
    double[] out = new double[d.n];
    int k = 0;
    for (int c = 0; c < d.x.length; c++) {
      for (int i = 0; i < d.x[c].length; i++) {
        out[k++] = d.w[c] * (affine[c][0] * toy[c][d.at[c][i]] + affine[c][1]);
      }
    }
    return out;
  }

  /** Least-squares scale and offset of y ≈ s·f + o; a flat f gets s = 0. */
  static double[] affine(double[] f, double[] y) {
    int n = f.length;
    double mf = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mf += f[i];
      my += y[i];
    }
    mf /= n;
    my /= n;
    double sff = 0;
    double sfy = 0;
    for (int i = 0; i < n; i++) {
      sff += (f[i] - mf) * (f[i] - mf);
      sfy += (f[i] - mf) * (y[i] - my);
    }
    if (sff <= 1e-24 * n * (1 + mf * mf)) {
      return new double[] {0, my};
    }
    double s = sfy / sff;
    return new double[] {s, my - s * mf};
  }

  /** Where the toy cannot be solved: far worse than any flat fit, but finite so searches continue. */
  private static Eval penalty(Data d) {
    double[] res = new double[d.n];
    double sse = 0;
    int k = 0;
    for (int c = 0; c < d.x.length; c++) {
      double mean = Arrays.stream(d.y[c]).average().orElse(0);
      for (int i = 0; i < d.x[c].length; i++) {
        double r = 10 * d.w[c] * (Math.abs(d.y[c][i] - mean) + 1.0 / d.w[c]);
        res[k++] = r;
        sse += r * r;
      }
    }
    return new Eval(sse, res, null, null, false);
  }
}
