package coopetition.comparison.fit;

/**
 * A continuous fitted parameter with its search box. The optimisers work in unit coordinates
 * u ∈ [0, 1] (log-spaced for positive scale parameters, so a step means the same relative change
 * everywhere); intervals are computed there and mapped back, which keeps them positive for log
 * parameters.
 */
public record FitParameter(String name, double lower, double upper, boolean log, String description) {
  public FitParameter {
    if (!(lower < upper) || !Double.isFinite(lower) || !Double.isFinite(upper)) {
      throw new IllegalArgumentException(name + ": bounds [" + lower + ", " + upper + "] are not an interval");
    }
    if (log && lower <= 0) {
      throw new IllegalArgumentException(name + ": a log-scaled parameter needs a positive lower bound");
    }
  }

  public static FitParameter linear(String name, double lower, double upper, String description) {
    return new FitParameter(name, lower, upper, false, description);
  }

  public static FitParameter logScaled(String name, double lower, double upper, String description) {
    return new FitParameter(name, lower, upper, true, description);
  }

  /** Physical value at unit coordinate u (defined for any u, so intervals may leave the box). */
  public double fromUnit(double u) {
    if (log) {
      return Math.exp(Math.log(lower) + u * (Math.log(upper) - Math.log(lower)));
    }
    return lower + u * (upper - lower);
  }

  public double toUnit(double v) {
    if (log) {
      return (Math.log(v) - Math.log(lower)) / (Math.log(upper) - Math.log(lower));
    }
    return (v - lower) / (upper - lower);
  }

  public boolean contains(double v) {
    return v >= lower && v <= upper;
  }
}
