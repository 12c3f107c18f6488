package coopetition.comparison.fit;

/**
 * 95% intervals at one optimum, in physical units: every parameter's own interval, the joint
 * (simultaneous) intervals, and each curve's affine map. A held parameter's intervals collapse to
 * its value. Arrays are indexed like the fit's parameters; affine ones by [curve][0 scale, 1 offset, 2 interference (where the curve has one)].
 */
record Intervals(double[] lower, double[] upper, double[] jointLower, double[] jointUpper, double[][] affineLower,
    double[][] affineUpper, double condition) {

  /** The t quantiles the Wald intervals use. */
  record Quantiles(double single, double simultaneous) {}

  /**
   * Wald (delta-method) intervals u ± t·se from the covariance, mapped to physical units; the joint
   * ones use the Bonferroni quantile over the free parameters (all inside at once, 95%). A parameter
   * whose variance is not finite gets an infinite interval.
   */
  static Intervals wald(Objective obj, double[] u, Objective.Eval at, Covariance cov, Quantiles t) {
    double[] phys = obj.physical(u);
    double[] lo = phys.clone();
    double[] hi = phys.clone();
    double[] slo = phys.clone();
    double[] shi = phys.clone();
    int[] free = obj.freeIndices();
    for (int j = 0; j < free.length; j++) {
      double se = Math.sqrt(cov.variance(j));
      FitParameter fp = obj.freeParameter(j);
      boolean ok = Double.isFinite(se);
      lo[free[j]] = ok ? fp.fromUnit(u[j] - t.single() * se) : Double.NEGATIVE_INFINITY;
      hi[free[j]] = ok ? fp.fromUnit(u[j] + t.single() * se) : Double.POSITIVE_INFINITY;
      slo[free[j]] = ok ? fp.fromUnit(u[j] - t.simultaneous() * se) : Double.NEGATIVE_INFINITY;
      shi[free[j]] = ok ? fp.fromUnit(u[j] + t.simultaneous() * se) : Double.POSITIVE_INFINITY;
    }
    int k = at.affine().length;
    double[][] al = new double[k][];
    double[][] ah = new double[k][];
    for (int c = 0; c < k; c++) {
      al[c] = new double[at.affine()[c].length];
      ah[c] = new double[at.affine()[c].length];
      for (int q = 0; q < al[c].length; q++) {
        double se = Math.sqrt(cov.affineVariance(c, q));
        al[c][q] = at.affine()[c][q] - t.single() * se;
        ah[c][q] = at.affine()[c][q] + t.single() * se;
      }
    }
    return new Intervals(lo, hi, slo, shi, al, ah, cov.condition());
  }

  /** These intervals with the joint ones widened to cover a region's envelope. */
  Intervals withJoint(JointRegion.Envelope e) {
    double[] sl = jointLower.clone();
    double[] sh = jointUpper.clone();
    for (int i = 0; i < sl.length; i++) {
      sl[i] = Math.min(sl[i], e.lower(i));
      sh[i] = Math.max(sh[i], e.upper(i));
    }
    return new Intervals(lower, upper, sl, sh, affineLower, affineUpper, condition);
  }

  /** The smallest intervals covering both (for optima that fit equally well). */
  Intervals hull(Intervals o) {
    double[] l = lower.clone();
    double[] h = upper.clone();
    double[] sl = jointLower.clone();
    double[] sh = jointUpper.clone();
    for (int i = 0; i < l.length; i++) {
      l[i] = Math.min(l[i], o.lower[i]);
      h[i] = Math.max(h[i], o.upper[i]);
      sl[i] = Math.min(sl[i], o.jointLower[i]);
      sh[i] = Math.max(sh[i], o.jointUpper[i]);
    }
    double[][] al = new double[affineLower.length][];
    double[][] ah = new double[affineLower.length][];
    for (int c = 0; c < al.length; c++) {
      al[c] = new double[affineLower[c].length];
      ah[c] = new double[affineLower[c].length];
      for (int q = 0; q < al[c].length; q++) {
        al[c][q] = Math.min(affineLower[c][q], o.affineLower[c][q]);
        ah[c][q] = Math.max(affineUpper[c][q], o.affineUpper[c][q]);
      }
    }
    return new Intervals(l, h, sl, sh, al, ah, Math.max(condition, o.condition));
  }
}
