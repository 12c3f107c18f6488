package coopetition.toymodel.model;

/**
 * Scratch space for one evaluation of the closed forms: the inputs are, per vector x, |x|^2 and
 * x*.x; the outputs are the losses and the gradient coefficients s_x, r_x with
 * grad_x Loss = s_x x - r_x x*. Mutable and reused across evaluations to keep solvers
 * allocation-free; one instance per thread.
 */
public final class Terms {
  /** |x|^2 for a, b, c, d. */
  public final double[] sq = new double[4];
  /** x* . x for a, b, c, d. */
  public final double[] p = new double[4];
  /** Gradient coefficient of x. */
  public final double[] s = new double[4];
  /** Gradient coefficient of x*. */
  public final double[] r = new double[4];
  public double l1;
  public double l2;
  public double cost;
  public double loss;
}
