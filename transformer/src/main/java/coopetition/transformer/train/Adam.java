package coopetition.transformer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import coopetition.transformer.model.Parameters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with optax's update rule, one fused libtorch kernel call per parameter (DJL's per-parameter
 * optimiser path costs more than the forward pass of this small model).
 *
 * <p>optax computes {@code lr·m̂/(√v̂+ε)} with bias-corrected moments. The fused kernel computes
 * {@code a·m/(√v+ε')}; with {@code a = lr·√(1-β2ᵗ)/(1-β1ᵗ)} and {@code ε' = ε·√(1-β2ᵗ)} the two are the
 * same expression.
 */
public final class Adam implements AutoCloseable {
  private final AdamConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> mean = new LinkedHashMap<>();
  private final Map<String, NDArray> variance = new LinkedHashMap<>();
  private long steps;

  public Adam(AdamConfig config, Parameters params) {
    this.config = config;
    this.manager = params.manager().newSubManager();
    for (Map.Entry<String, NDArray> e : params.arrays().entrySet()) {
      mean.put(e.getKey(), manager.zeros(e.getValue().getShape(), e.getValue().getDataType()));
      variance.put(e.getKey(), manager.zeros(e.getValue().getShape(), e.getValue().getDataType()));
    }
  }

  public AdamConfig config() {
    return config;
  }

  /** Updates taken so far (Adam's t). */
  public long steps() {
    return steps;
  }

  /** Applies one update from the gradients attached to {@code params}, then zeroes those gradients. */
  public void step(Parameters params) {
    steps++;
    double c1 = 1 - Math.pow(config.beta1(), steps);
    double c2 = 1 - Math.pow(config.beta2(), steps);
    float lrCorrected = (float) (config.lr() * Math.sqrt(c2) / c1);
    float epsCorrected = (float) (config.eps() * Math.sqrt(c2));
    boolean decoupled = config.decay() == AdamConfig.WeightDecay.DECOUPLED && config.weightDecay() > 0;
    float wd = decoupled ? (float) config.weightDecay() : 0f;
    for (Map.Entry<String, NDArray> e : params.arrays().entrySet()) {
      NDArray w = e.getValue();
      NDArray g = w.getGradient();
      w.getNDArrayInternal().adamUpdate(
          new NDList(w, g, mean.get(e.getKey()), variance.get(e.getKey())), new NDList(w),
          (float) config.lr(), lrCorrected, wd, 1f, -1f,
          (float) config.beta1(), (float) config.beta2(), epsCorrected, false, decoupled);
      g.close();
    }
  }

  /** First and second moments by parameter name (checkpointing). */
  public Map<String, NDArray> mean() {
    return mean;
  }

  public Map<String, NDArray> variance() {
    return variance;
  }

  /** Restores the state of a checkpoint. */
  public void restore(long steps, Map<String, float[]> m, Map<String, float[]> v) {
    this.steps = steps;
    for (String k : mean.keySet()) {
      Parameters.assign(mean.get(k), m.get(k));
      Parameters.assign(variance.get(k), v.get(k));
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
