package coopetition.comparison.forecast;

import coopetition.comparison.runs.Curve;

/**
 * What the Flip evaluator's in-context accuracy (1 = the model follows the context, 0 = its weights)
 * shows directly: the first evaluation after its peak below a level, and a plain baseline forecast
 * that extends its fall linearly in logit(Flip), for comparison with the toy model's forecast.
 */
public final class FlipCurve {
  /** The run column read as Flip. */
  public static final String COLUMN = "flip_in_context_acc";

  private FlipCurve() {}

  /** First x after the curve's peak (within x ≤ upTo) where y < level; NaN if none. */
  public static double firstBelow(Curve c, double level, double upTo) {
    int peak = 0;
    for (int i = 0; i < c.size() && c.x()[i] <= upTo; i++) {
      if (c.y()[i] > c.y()[peak]) {
        peak = i;
      }
    }
    for (int i = peak + 1; i < c.size() && c.x()[i] <= upTo; i++) {
      if (c.y()[i] < level) {
        return c.x()[i];
      }
    }
    return Double.NaN;
  }

  /**
   * Least-squares line through logit(y) against x over the points from the peak to {@code upTo},
   * solved for logit(level), with a 95% prediction interval (inverse regression, delta method, Student
   * t): estimate NaN when fewer than 4 points or when Flip is not falling.
   */
  public static Crossing logitForecast(Curve c, double level, double upTo) {
    int peak = 0;
    for (int i = 0; i < c.size() && c.x()[i] <= upTo; i++) {
      if (c.y()[i] > c.y()[peak]) {
        peak = i;
      }
    }
    int n = 0;
    double sx = 0;
    double sy = 0;
    for (int i = peak; i < c.size() && c.x()[i] <= upTo; i++) {
      sx += c.x()[i];
      sy += logit(c.y()[i]);
      n++;
    }
    Crossing none = new Crossing(Double.NaN, Double.NaN, Double.NaN);
    if (n < 4) {
      return none;
    }
    double mx = sx / n;
    double my = sy / n;
    double sxx = 0;
    double sxy = 0;
    for (int i = peak; i < peak + n; i++) {
      sxx += (c.x()[i] - mx) * (c.x()[i] - mx);
      sxy += (c.x()[i] - mx) * (logit(c.y()[i]) - my);
    }
    double slope = sxy / sxx;
    if (!(slope < 0)) {
      return none;
    }
    double icpt = my - slope * mx;
    double rss = 0;
    for (int i = peak; i < peak + n; i++) {
      double r = logit(c.y()[i]) - icpt - slope * c.x()[i];
      rss += r * r;
    }
    double s2 = rss / (n - 2);
    double est = (logit(level) - icpt) / slope;
    double se = Math.sqrt(s2 / (slope * slope) * (1 + 1.0 / n + (est - mx) * (est - mx) / sxx));
    double tq = new org.hipparchus.distribution.continuous.TDistribution(n - 2).inverseCumulativeProbability(0.975);
    return new Crossing(est, est - tq * se, est + tq * se);
  }

  private static double logit(double y) {
    double v = Math.min(0.999, Math.max(0.001, y));
    return Math.log(v / (1 - v));
  }
}
