package coopetition.comparison.fit;

import java.util.List;

/**
 * A parametric family of the three toy curves, the thing a run is fitted with: continuous
 * parameters plus a discrete variant (for the toy model: the random seed of targets and
 * initialisation, and the dimensions). Implementations must be thread-safe and pure.
 */
public interface ToyCurves {
  /** The continuous parameters, in the order {@link #evaluate} takes them. */
  List<FitParameter> parameters();

  /** Starting values (physical units), one per parameter; the first search starts here. */
  double[] typicalValues();

  /** Labels of the discrete variants, e.g. "seed 3, nd/na 8". */
  List<String> variants();

  /**
   * The curves at toy times {@code t} (ascending, ≥ 0): {@code result[c.ordinal()][i]} for each
   * {@link ToyCurve} c. May throw {@link ArithmeticException} where the model cannot be solved.
   */
  double[][] evaluate(double[] values, int variant, double[] t);

  /**
   * Each curve's own range at these parameters ({@link ToyCurve} order): the span a run curve's range
   * should map onto, so that a fit cannot use a nearly flat sliver of a toy curve. Null (the default)
   * means: the curve's range from toy time 0 to the last point.
   */
  default double[] ownRanges(double[] values, int variant) {
    return null;
  }
}
