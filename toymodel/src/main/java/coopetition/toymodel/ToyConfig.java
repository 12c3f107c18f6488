package coopetition.toymodel;

import coopetition.common.UserInputException;

/**
 * One instance of the minimal model of strategy coopetition (Singh et al. 2025, Fig. 5a): vector
 * sizes, the loss's coupling constants, weight decay, and the seed that draws targets and initial
 * values.
 *
 * <pre>
 *   Loss = (L1 + mu1)(L2 + mu2) + alpha * Cost + weightDecay/2 * (|a|^2 + |b|^2 + |c|^2 + |d|^2)
 * </pre>
 *
 * @param na size of a (mechanism 1 only)
 * @param nb size of b (shared)
 * @param nc size of c (shared)
 * @param nd size of d (mechanism 2 only)
 * @param alpha weight of the competition cost mean[(a x d)^2]/2
 * @param mu1 offset of L1 in the product; mu1 > 0 keeps mechanism 2 pulled after L1 reaches 0
 * @param mu2 offset of L2 in the product
 * @param weightDecay lambda of the L2 penalty lambda/2 |theta|^2
 * @param initScale initial values are initScale times standard normals
 * @param seed draws targets and initial values (one independent stream per vector)
 */
public record ToyConfig(int na, int nb, int nc, int nd, double alpha, double mu1, double mu2,
    double weightDecay, double initScale, long seed) {

  public ToyConfig {
    requireDim("na", na);
    requireDim("nb", nb);
    requireDim("nc", nc);
    requireDim("nd", nd);
    requireNonNegative("alpha", alpha);
    requireNonNegative("mu1", mu1);
    requireNonNegative("mu2", mu2);
    requireNonNegative("lambda", weightDecay);
    requireNonNegative("init_scale", initScale);
  }

  /** The paper's setting: dims (20, 20, 20, 160), alpha 0.1, mu1 0.1, mu2 0, no weight decay, seed 0.
   * (The paper used seed 7 of JAX's generator; our seed 0 shows the same sequence of events.) */
  public static ToyConfig paper() {
    return new ToyConfig(20, 20, 20, 160, 0.1, 0.1, 0.0, 0.0, 1.0, 0);
  }

  /** Size of vector {@code v}. */
  public int dim(ToyVector v) {
    return switch (v) {
      case A -> na;
      case B -> nb;
      case C -> nc;
      case D -> nd;
    };
  }

  public ToyConfig withDims(int na, int nb, int nc, int nd) {
    return new ToyConfig(na, nb, nc, nd, alpha, mu1, mu2, weightDecay, initScale, seed);
  }

  public ToyConfig withAlpha(double v) {
    return new ToyConfig(na, nb, nc, nd, v, mu1, mu2, weightDecay, initScale, seed);
  }

  public ToyConfig withMu1(double v) {
    return new ToyConfig(na, nb, nc, nd, alpha, v, mu2, weightDecay, initScale, seed);
  }

  public ToyConfig withMu2(double v) {
    return new ToyConfig(na, nb, nc, nd, alpha, mu1, v, weightDecay, initScale, seed);
  }

  public ToyConfig withWeightDecay(double v) {
    return new ToyConfig(na, nb, nc, nd, alpha, mu1, mu2, v, initScale, seed);
  }

  public ToyConfig withInitScale(double v) {
    return new ToyConfig(na, nb, nc, nd, alpha, mu1, mu2, weightDecay, v, seed);
  }

  public ToyConfig withSeed(long v) {
    return new ToyConfig(na, nb, nc, nd, alpha, mu1, mu2, weightDecay, initScale, v);
  }

  private static void requireDim(String name, int n) {
    UserInputException.requireField(n >= 1, name, "must be a positive vector size, got " + n);
  }

  private static void requireNonNegative(String name, double v) {
    UserInputException.requireField(Double.isFinite(v) && v >= 0, name, "must be a finite number >= 0, got " + v);
  }
}
