package coopetition.toymodel.model;

import coopetition.toymodel.ToyConfig;
import coopetition.toymodel.ToyVector;
import java.util.SplittableRandom;

/**
 * Targets x* and initial values x(0) of the four vectors, drawn i.i.d. standard normal from the
 * config's seed. Each vector has its own random stream (split from the seed in the order a, b, c, d,
 * target before initial value, as the authors split their JAX key), so changing one vector's size
 * leaves the other vectors' draws unchanged: a sweep over nd compares like with like.
 */
public final class ToyProblem {
  private final ToyConfig config;
  private final double[][] target = new double[4][];
  private final double[][] initial = new double[4][];

  private ToyProblem(ToyConfig config) {
    this.config = config;
    SplittableRandom root = new SplittableRandom(config.seed());
    for (ToyVector v : ToyVector.values()) {
      SplittableRandom stream = root.split();
      SplittableRandom targetStream = stream.split();
      SplittableRandom initStream = stream.split();
      int n = config.dim(v);
      double[] xs = new double[n];
      double[] x0 = new double[n];
      for (int i = 0; i < n; i++) {
        xs[i] = targetStream.nextGaussian();
        x0[i] = config.initScale() * initStream.nextGaussian();
      }
      target[v.ordinal()] = xs;
      initial[v.ordinal()] = x0;
    }
  }

  public static ToyProblem sample(ToyConfig config) {
    return new ToyProblem(config);
  }

  public ToyConfig config() {
    return config;
  }

  /** A copy of x*. */
  public double[] target(ToyVector v) {
    return target[v.ordinal()].clone();
  }

  /** A copy of x(0). */
  public double[] initial(ToyVector v) {
    return initial[v.ordinal()].clone();
  }

  // Package-private views without copies, for the model and solvers of this module.
  double[] targetView(int v) {
    return target[v];
  }

  double[] initialView(int v) {
    return initial[v];
  }

  /** Direct read-only access for solvers; callers must not modify the arrays. */
  public double[][] targetsUnsafe() {
    return target;
  }

  public double[][] initialsUnsafe() {
    return initial;
  }
}
