package coopetition.toymodel;

/**
 * Progress measures of one vector x at the output times, as tracked by the authors' solver:
 * |x|, |grad_x Loss|, cosine distance 1 - cos^2(x, x*), and |x - x*|.
 */
public record VectorTrace(double[] norm, double[] gradNorm, double[] cosineDistance, double[] distance) {

  public static VectorTrace allocate(int n) {
    return new VectorTrace(new double[n], new double[n], new double[n], new double[n]);
  }
}
