package coopetition.comparison.fit;

/**
 * The one bracket-then-bisect search of the fit: walks out from distance 0 (known inside a region)
 * in growing steps until a step lands outside, then bisects between the last inside and the first
 * outside distance. Used to find how far the likelihood region reaches along a direction.
 */
final class Bracketing {
  private Bracketing() {}

  /**
   * What one probe found: the distance it actually reached (a box edge may cut the step short),
   * whether that point lies inside the region, and whether it sits on the box edge (then nothing
   * further out can be reached, and the walk stops there).
   */
  record Step(double reached, boolean inside, boolean atEdge) {}

  /** Tests the point at a distance from the start. */
  @FunctionalInterface
  interface Probe {
    Step at(double distance);
  }

  /**
   * @param first the first distance tried
   * @param growth factor between successive tries
   * @param tries at most this many tries while bracketing
   * @param bisections halvings of the bracket once found
   * @return the farthest distance known to lie inside (0 if even the first try fell outside)
   */
  static double walkOut(double first, double growth, int tries, int bisections, Probe probe) {
    double inside = 0;
    double outside = Double.NaN;
    double d = first;
    for (int k = 0; k < tries && Double.isNaN(outside); k++, d *= growth) {
      Step s = probe.at(d);
      if (s.inside()) {
        inside = s.reached();
        if (s.atEdge()) {
          break;
        }
      } else {
        outside = s.reached();
      }
    }
    if (Double.isNaN(outside)) {
      return inside; // never left the region within the tries (or reached the box edge)
    }
    for (int k = 0; k < bisections; k++) {
      double mid = 0.5 * (inside + outside);
      if (probe.at(mid).inside()) {
        inside = mid;
      } else {
        outside = mid;
      }
    }
    return inside;
  }
}
