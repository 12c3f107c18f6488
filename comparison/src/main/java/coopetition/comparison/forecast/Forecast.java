package coopetition.comparison.forecast;

import coopetition.comparison.fit.FitResult;
import coopetition.comparison.fit.ToyCurve;
import coopetition.comparison.runs.Curve;
import java.util.List;

/**
 * A forecast of when ICL fades, from the toy model fitted to a run's curves up to {@code upto}
 * sequences: Flip below 0.5 is read as the toy's L2 crossing below L1 (mechanism 2 overtakes
 * mechanism 1), Flip below 0.2 as mechanism 1 lost (L1 back above a tenth of its null value), both mapped
 * to sequences through the fitted tau and t0. Intervals: the range over every plausible fit (see
 * {@link coopetition.comparison.fit.PlausibleFits}).
 *
 * @param upto last sequence count the fit saw
 * @param horizon the forecast looks this far (sequences); "never" means not before it
 * @param lastSeqs the run's last evaluation (truth is known up to here)
 * @param flipBelow05 forecast of Flip falling below 0.5
 * @param flipBelow02 forecast of Flip falling below 0.2
 * @param transientIcl the best fit loses mechanism 1 before the horizon
 * @param transientShare the fraction of plausible fits that do
 * @param observed05 the run's first evaluation after the Flip peak below 0.5 (NaN if not seen)
 * @param observed02 the same for 0.2
 * @param baseline05 a plain logit-linear extrapolation of Flip after its peak, for comparison
 * @param baseline02 the same for 0.2
 * @param fit the toy fit to the curves up to upto
 * @param plausibleFits how many parameter sets the intervals range over
 * @param bands the fitted curves and their range over the plausible fits, for the figure
 * @param observedCurves the run's paired curves (all of them, also past upto) in role order
 * @param flip the run's Flip curve, or null if it has none
 */
public record Forecast(double upto, double horizon, double lastSeqs, Crossing flipBelow05, Crossing flipBelow02,
    boolean transientIcl, double transientShare, double observed05, double observed02, Crossing baseline05,
    Crossing baseline02, FitResult fit, int plausibleFits, Bands bands, List<Curve> observedCurves, Curve flip) {

  /** Fitted curves (scale · toy + offset) at xs, best fit and pointwise range over plausible fits. */
  public record Bands(double[] xs, List<ToyCurve> roles, List<double[]> best, List<double[]> lo, List<double[]> hi) {}
}
