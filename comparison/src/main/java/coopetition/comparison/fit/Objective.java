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
 *
 * <p>The maps are constrained so that they keep the toy's meaning: each scale has the sign of the
 * pairing (+ for a loss, − for an accuracy or probability, which rises when a loss falls) and a
 * magnitude within a factor {@link #SCALE_SLACK} of run range / toy range, where the toy range is the
 * toy curve's own range ({@link ToyCurves#ownRanges}: for the toy model L1 and L2 between learned and
 * their null values). Unconstrained, a nearly flat sliver of a toy curve scaled by millions (or turned
 * upside down) fits almost anything.
 *
 * <p>A curve with an {@link Interference} partner is mapped as y ≈ scale · toy + interference ·
 * partner toy + offset, the interference of the opposite sign to the scale and at most
 * {@link #INTERFERENCE_BOUND} × run range / the partner's own range in magnitude (alone it may move the
 * run curve by at most a quarter of its range); still a small bounded linear least-squares problem, solved
 * exactly. Its map row is {scale, offset, interference}; a plain curve's is {scale, offset}.
 */
final class Objective {
  /** How far a scale may stray from run range / toy range (either way). */
  static final double SCALE_SLACK = 3.0;
  /**
   * Largest interference magnitude, in units of run range / the partner toy curve's own range: the term
   * may explain at most a quarter of the run curve's range (the CIWL dip is about 5% of it). At 1.0 the
   * fits let the partner carry the curve instead of its own toy curve, mechanism 1 was never learned in
   * the fitted toy and no landmark was left inside the data (issue 15 study, docs/comparison.md).
   */
  static final double INTERFERENCE_BOUND = 0.25;

  private final ToyCurves model;
  private final int variant;
  private final List<ToyCurve> roles;
  /** Per role the partner toy curve of its interference term, or null. */
  private final ToyCurve[] partners;
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
    this(model, variant, roles, new ToyCurve[roles.size()], params, fixed, solves);
  }

  /** @param partners per role the partner toy curve of an interference term, or null (plain map) */
  Objective(ToyCurves model, int variant, List<ToyCurve> roles, ToyCurve[] partners, FitParameters params,
      double[] fixed, AtomicLong solves) {
    this.model = model;
    this.variant = variant;
    this.roles = roles;
    this.partners = partners.clone();
    this.params = params;
    this.fixed = fixed.clone();
    this.free = java.util.stream.IntStream.range(0, params.size()).filter(i -> Double.isNaN(fixed[i])).toArray();
    this.solves = solves;
  }

  /** The same objective with one more parameter held at a physical value (for profile likelihood). */
  Objective withFixed(int paramIndex, double value) {
    double[] f = fixed.clone();
    f[paramIndex] = value;
    return new Objective(model, variant, roles, partners, params, f, solves);
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
    /** Expected sign of each curve's scale: +1 for a loss, −1 for an accuracy or probability. */
    final double[] sign;
    final double[] ux;
    final int[][] at;
    final int n;

    Data(double[][] x, double[][] y, double[] w) {
      this(x, y, w, filled(x.length, 1.0));
    }

    Data(double[][] x, double[][] y, double[] w, double[] sign) {
      this.x = x;
      this.y = y;
      this.w = w;
      this.sign = sign;
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
      double[] sign = new double[curves.size()];
      for (int c = 0; c < curves.size(); c++) {
        x[c] = curves.get(c).x();
        y[c] = curves.get(c).y();
        Curve ref = weightsFrom.get(c);
        w[c] = 1.0 / (ref.yMax() - ref.yMin());
        sign[c] = expectedSign(curves.get(c).name());
      }
      return new Data(x, y, w, sign);
    }

    /** The same points with other values (bootstrap), keeping weights and signs. */
    Data withPoints(double[][] x2, double[][] y2) {
      return new Data(x2, y2, w, sign);
    }

    private static double[] filled(int n, double v) {
      double[] a = new double[n];
      Arrays.fill(a, v);
      return a;
    }
  }

  /** −1 for columns that rise when a loss falls (accuracies, probabilities), else +1. */
  static double expectedSign(String column) {
    String c = column.toLowerCase(java.util.Locale.ROOT);
    return c.endsWith("acc") || c.endsWith("_prob") || c.contains("accuracy") ? -1 : 1;
  }

  /**
   * The outcome of one evaluation; {@code ok} is false where the toy could not be solved.
   *
   * @param affine per curve {scale, offset} or, with an interference term, {scale, offset, interference}
   * @param toy per curve its toy curve at the data's distinct x
   * @param partner per curve its partner toy curve at the data's distinct x, or null
   */
  record Eval(double sse, double[] residuals, double[][] affine, double[][] toy, double[][] partner, boolean ok) {}

  /** A curve's mapped value: scale · toy + offset (+ interference · partner). */
  static double mapped(double[] map, double toy, double partner) {
    return map[0] * toy + map[1] + (map.length > 2 ? map[2] * partner : 0);
  }

  /** Toy curves for this variant at the data's distinct x, rows in role order. */
  double[][] toyAt(double[] phys, double[] ux) {
    return toyWithRange(phys, ux).curves();
  }

  /** Toy curves at the data's x plus each curve's own range (the model's, else from toy time 0 to the last x). */
  record ToyValues(double[][] curves, double[] range, double[][] partner, double[] partnerRange) {}

  ToyValues toyWithRange(double[] phys, double[] ux) {
    double tau = params.tau(phys);
    double t0 = params.t0(phys);
    double[] toyParams = params.toyValues(phys);
    double[] t = new double[ux.length + 1]; // t[0] = 0: the toy's initial values belong to its range
    for (int i = 0; i < ux.length; i++) {
      t[i + 1] = Math.max(0, (ux[i] - t0) / tau);
    }
    solves.incrementAndGet();
    double[][] all = model.evaluate(toyParams, variant, t);
    double[] own = model.ownRanges(toyParams, variant);
    double[][] out = new double[roles.size()][];
    double[] range = new double[roles.size()];
    double[][] partner = new double[roles.size()][];
    double[] partnerRange = new double[roles.size()];
    for (int r = 0; r < roles.size(); r++) {
      if (partners[r] != null) {
        double[] row = all[partners[r].ordinal()];
        partner[r] = Arrays.copyOfRange(row, 1, row.length);
        partnerRange[r] = own != null ? own[partners[r].ordinal()] : range(row);
      }
      double[] row = all[roles.get(r).ordinal()];
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double v : row) {
        if (!Double.isFinite(v)) {
          throw new ArithmeticException("toy curve not finite");
        }
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      out[r] = Arrays.copyOfRange(row, 1, row.length);
      range[r] = own != null ? own[roles.get(r).ordinal()] : hi - lo;
    }
    return new ToyValues(out, range, partner, partnerRange);
  }

  private static double range(double[] row) {
    return Arrays.stream(row).max().orElse(0) - Arrays.stream(row).min().orElse(0);
  }

  /** Smallest and largest magnitude a scale may take: run range / toy range, within SCALE_SLACK. */
  static double[] scaleBounds(double runRange, double toyRange) {
    if (!(toyRange > 0)) {
      return new double[] {0, 0};
    }
    double s = runRange / toyRange;
    return new double[] {s / SCALE_SLACK, s * SCALE_SLACK};
  }

  Eval eval(double[] u, Data d) {
    ToyValues tv;
    try {
      tv = toyWithRange(physical(u), d.ux);
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
      double[] g = tv.partner()[c] == null ? null : new double[n];
      for (int i = 0; i < n; i++) {
        f[i] = tv.curves()[c][d.at[c][i]];
        if (g != null) {
          g[i] = tv.partner()[c][d.at[c][i]];
        }
      }
      double[] b = scaleBounds(1.0 / d.w[c], tv.range()[c]);
      if (g == null) {
        affine[c] = affine(f, d.y[c], d.sign[c] * b[0], d.sign[c] * b[1]);
      } else {
        double xMax = tv.partnerRange()[c] > 0 ? INTERFERENCE_BOUND / (d.w[c] * tv.partnerRange()[c]) : 0;
        affine[c] = MapSolver.withInterference(f, g, d.y[c], d.sign[c] * b[0], d.sign[c] * b[1], -d.sign[c] * xMax);
      }
      for (int i = 0; i < n; i++) {
        double r = d.w[c] * (d.y[c][i] - mapped(affine[c], f[i], g == null ? 0 : g[i]));
        res[k++] = r;
        sse += r * r;
      }
    }
    return new Eval(sse, res, affine, tv.curves(), tv.partner(), true);
  }

  /** Weighted model values with the affine maps held fixed (for the full Jacobian). */
  double[] weightedPrediction(double[] u, double[][] affine, Data d) {
    ToyValues tv = toyWithRange(physical(u), d.ux);
    double[] out = new double[d.n];
    int k = 0;
    for (int c = 0; c < d.x.length; c++) {
      for (int i = 0; i < d.x[c].length; i++) {
        int j = d.at[c][i];
        out[k++] = d.w[c] * mapped(affine[c], tv.curves()[c][j], tv.partner()[c] == null ? 0 : tv.partner()[c][j]);
      }
    }
    return out;
  }

  /**
   * Least-squares scale and offset of y ≈ s·f + o with the scale held between the magnitudes
   * |sA| ≤ |sB| of one sign (sA, sB both ≥ 0 or both ≤ 0). With the offset profiled out the SSE is a
   * parabola in s, so the constrained optimum is the unconstrained one clamped to the interval.
   */
  static double[] affine(double[] f, double[] y, double sA, double sB) {
    double lo = Math.min(sA, sB);
    double hi = Math.max(sA, sB);
    double[] free = affine(f, y);
    double s = Math.min(hi, Math.max(lo, free[0]));
    double mf = Arrays.stream(f).average().orElse(0);
    double my = Arrays.stream(y).average().orElse(0);
    return new double[] {s, my - s * mf};
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
    return new Eval(sse, res, null, null, null, false);
  }
}
