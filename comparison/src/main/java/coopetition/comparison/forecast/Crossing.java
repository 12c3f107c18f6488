package coopetition.comparison.forecast;

/**
 * A forecast sequence count with its 95% interval. {@code estimate} is NaN when the forecast is that
 * it does not happen before the horizon; {@code hi} is +infinity when some plausible fits never get
 * there (the interval is open above).
 */
public record Crossing(double estimate, double lo, double hi) {
  public boolean happens() {
    return Double.isFinite(estimate);
  }

  /** Whether a sequence count lies in the interval (NaN, "never", lies in it only when hi is open). */
  public boolean covers(double truth) {
    if (Double.isNaN(truth)) {
      return hi == Double.POSITIVE_INFINITY;
    }
    return truth >= lo && truth <= hi;
  }
}
