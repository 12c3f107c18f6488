package coopetition.comparison.fit;

import java.util.List;

/**
 * What a fit found: the variant (seed, dims), every parameter with its 95% interval (delta method
 * from the Jacobian covariance; bootstrap percentile interval over time points as a check), the
 * affine map and goodness of fit of each curve, and what it cost.
 *
 * @param toyValues the model's own parameters in physical units, in {@link ToyCurves#parameters()} order
 * @param tau sequences per toy time unit: toy time t = (sequences − t0) / tau
 * @param t0 the sequence count at toy time 0
 * @param conditionNumber of the weighted Jacobian; huge means some combination is not identifiable
 */
public record FitResult(
    String variant,
    int variantIndex,
    List<Estimate> parameters,
    List<CurveFit> curves,
    double[] toyValues,
    double tau,
    double t0,
    double weightedSse,
    int points,
    int degreesOfFreedom,
    double residualScale,
    double conditionNumber,
    List<CandidateScore> candidates,
    int bootstrapReplicates,
    long toySolves,
    double wallSeconds,
    List<String> notes) {

  /**
   * One fitted parameter. {@code lower/upper}: its own 95% delta-method interval;
   * {@code jointLower/jointUpper}: simultaneous 95% intervals (Bonferroni over the free model
   * parameters), the ones to read when asking whether all parameters are right at once;
   * {@code boot*}: bootstrap percentile interval over time points (NaN if none).
   */
  public record Estimate(String name, String description, double value, double lower, double upper,
      double jointLower, double jointUpper, double bootLower, double bootUpper, boolean fixed, boolean atBound) {
    public boolean covers(double truth) {
      return truth >= lower && truth <= upper;
    }

    public boolean jointlyCovers(double truth) {
      return truth >= jointLower && truth <= jointUpper;
    }
  }

  /**
   * One paired curve: y ≈ scale · toy + offset (+ interference · partner toy curve), with 95% intervals,
   * R² and RMSE on all its points.
   *
   * @param interference the interference term, or null for a plain affine map
   */
  public record CurveFit(ToyCurve role, String column, double scale, double scaleLower, double scaleUpper,
      double offset, double offsetLower, double offsetUpper, double r2, double rmse, int points,
      InterferenceTerm interference) {
    public CurveFit(ToyCurve role, String column, double scale, double scaleLower, double scaleUpper, double offset,
        double offsetLower, double offsetUpper, double r2, double rmse, int points) {
      this(role, column, scale, scaleLower, scaleUpper, offset, offsetLower, offsetUpper, r2, rmse, points, null);
    }

    /** The mapped value at one x, from the toy curves there in {@link ToyCurve} order. */
    public double mapped(double[][] toy, int i) {
      double v = scale * toy[role.ordinal()][i] + offset;
      return interference == null ? v : v + interference.value() * toy[interference.partner().ordinal()][i];
    }
  }

  /** The interference term of a curve's map: value · partner toy curve, with its 95% interval. */
  public record InterferenceTerm(ToyCurve partner, double value, double lower, double upper) {}

  /** Best weighted SSE the global search reached for one variant. */
  public record CandidateScore(String variant, double weightedSse) {}

  public Estimate estimate(String name) {
    for (Estimate e : parameters) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException("no parameter " + name);
  }

  public CurveFit curve(ToyCurve role) {
    for (CurveFit c : curves) {
      if (c.role() == role) {
        return c;
      }
    }
    return null;
  }

  /** Toy time of a sequence count. */
  public double toyTime(double sequences) {
    return (sequences - t0) / tau;
  }

  /** Sequence count of a toy time. */
  public double sequences(double toyTime) {
    return t0 + tau * toyTime;
  }
}
