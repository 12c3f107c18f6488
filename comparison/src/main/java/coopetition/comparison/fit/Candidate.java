package coopetition.comparison.fit;

/** One optimum a search found: the discrete variant it belongs to and the point in that variant. */
record Candidate(int variant, ParameterPoint point) {
  double sse() {
    return point.sse();
  }

  /** Two optima of the same variant closer than 1e-3 in every unit coordinate are one basin. */
  boolean sameOptimumAs(Candidate o) {
    if (variant != o.variant) {
      return false;
    }
    double[] a = point.unit();
    double[] b = o.point.unit();
    for (int j = 0; j < a.length; j++) {
      if (Math.abs(a[j] - b[j]) > 1e-3) {
        return false;
      }
    }
    return true;
  }
}
