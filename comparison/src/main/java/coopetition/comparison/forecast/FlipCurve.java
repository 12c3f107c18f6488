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
   * solved for logit(level); NaN when fewer than 3 points or when Flip is not falling.
   */
  public static double logitBaseline(Curve c, double level, double upTo) {
    int peak = 0;
    for (int i = 0; i < c.size() && c.x()[i] <= upTo; i++) {
      if (c.y()[i] > c.y()[peak]) {
        peak = i;
      }
    }
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    int n = 0;
    for (int i = peak; i < c.size() && c.x()[i] <= upTo; i++) {
      double y = Math.min(0.999, Math.max(0.001, c.y()[i]));
      double l = Math.log(y / (1 - y));
      sx += c.x()[i];
      sy += l;
      sxx += c.x()[i] * c.x()[i];
      sxy += c.x()[i] * l;
      n++;
    }
    if (n < 3) {
      return Double.NaN;
    }
    double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    double icpt = (sy - slope * sx) / n;
    if (!(slope < 0)) {
      return Double.NaN;
    }
    return (Math.log(level / (1 - level)) - icpt) / slope;
  }
}
