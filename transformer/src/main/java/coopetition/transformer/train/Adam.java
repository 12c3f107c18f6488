package coopetition.transformer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import coopetition.transformer.config.AdamConfig;
import coopetition.transformer.model.Parameters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Adam with optax's update rule, written as a few in-place libtorch ops per parameter (DJL's
 * optimiser path and its fused {@code adamUpdate} kernel both cost more than the forward pass here).
 *
 * <p>optax computes {@code lr·m̂/(√v̂+ε)} with bias-corrected moments. This computes
 * {@code a·m/(√v+ε')}; with {@code a = lr·√(1-β2ᵗ)/(1-β1ᵗ)} and {@code ε' = ε·√(1-β2ᵗ)} the two are the
 * same expression, without two extra passes for the corrections. AdamW shrinks {@code W} by
 * {@code 1 - lr·wd} first, as PyTorch does.
 *
 * <p>The authors' penalty {@code wd·Σ‖W‖_F} is applied here as its gradient {@code wd·W/‖W‖_F}
 * rather than taped into the loss: the same update, at a sixth of the cost (autograd through ~80
 * small norm ops tripled the step time).
 */
public final class Adam implements AutoCloseable {
  private final AdamConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> mean = new LinkedHashMap<>();
  private final Map<String, NDArray> variance = new LinkedHashMap<>();
  private final Kernel kernel;
  /** {@link Kernel#JAVA_FUSED}'s kept views of each array's w, m and v, by name (the helper thread updates some). */
  private final Map<String, AdamLoop.StateViews> views = new ConcurrentHashMap<>();
  private long steps;
  /** Parameters that are never updated (a frozen donor's parts); their gradients are dropped. */
  private Set<String> frozen = Set.of();

  /** How an array's update is computed; the first two give bit-identical results (AdamTest). */
  public enum Kernel {
    /** 13 in-place libtorch ops per array (any device). */
    LIBTORCH_OPS,
    /** Two Java passes over the host tensors' memory around libtorch's root ({@link AdamLoop}); ops elsewhere. */
    JAVA_LOOP,
    /** One Java pass with Java's (correctly rounded) root: fewer passes, other rounding than the two above. */
    JAVA_FUSED
  }

  public Adam(AdamConfig config, Parameters params) {
    this(config, params, Kernel.JAVA_LOOP);
  }

  public Adam(AdamConfig config, Parameters params, Kernel kernel) {
    this.config = config;
    this.kernel = kernel;
    this.manager = params.manager().newSubManager();
    for (Map.Entry<String, NDArray> e : params.arrays().entrySet()) {
      mean.put(e.getKey(), manager.zeros(e.getValue().getShape(), e.getValue().getDataType()));
      variance.put(e.getKey(), manager.zeros(e.getValue().getShape(), e.getValue().getDataType()));
    }
  }

  public AdamConfig config() {
    return config;
  }

  /** Keeps these parameters bit-identical from now on (frozen-donor training). */
  public void freeze(Set<String> names) {
    frozen = Set.copyOf(names);
  }

  /** Updates taken so far (Adam's t). */
  public long steps() {
    return steps;
  }

  /** Applies one update from the gradients attached to {@code params}, then zeroes those gradients. */
  public void step(Parameters params) {
    step(params, null);
  }

  /**
   * As {@link #step(Parameters)}; with a {@code helper} thread, about half of the parameters (by size)
   * are updated there at the same time. Each array's update is independent, so the result is the same.
   */
  public void step(Parameters params, ExecutorService helper) {
    step(params, helper, null);
  }

  /**
   * As above with the step's {@code gradients} by parameter name (arrays this update may change and closes; see
   * StepLeaves) instead of the parameters' own {@code .grad}; null reads the parameters'.
   */
  public void step(Parameters params, ExecutorService helper, Map<String, NDArray> gradients) {
    steps++;
    double c1 = 1 - Math.pow(config.beta1(), steps);
    double c2 = 1 - Math.pow(config.beta2(), steps);
    Update u = new Update((float) (config.lr() * Math.sqrt(c2) / c1), (float) (config.eps() * Math.sqrt(c2)),
        (float) config.beta1(), (float) config.beta2(),
        config.decay() == AdamConfig.WeightDecay.DECOUPLED && config.weightDecay() > 0,
        (float) (1 - config.lr() * config.weightDecay()),
        config.decay() == AdamConfig.WeightDecay.PENALTY && config.weightDecay() > 0 ? (float) config.weightDecay() : 0);
    if (helper == null) {
      params.arrays().forEach((name, w) -> update(name, w, gradients, u));
      return;
    }
    // Largest arrays first, each to the lighter side: the two K x d tables end up on different threads.
    List<Map.Entry<String, NDArray>> bySize = new ArrayList<>(params.arrays().entrySet());
    bySize.sort(Comparator.comparingLong((Map.Entry<String, NDArray> e) -> e.getValue().size()).reversed());
    List<Map.Entry<String, NDArray>> mine = new ArrayList<>();
    List<Map.Entry<String, NDArray>> theirs = new ArrayList<>();
    long mineSize = 0;
    long theirSize = 0;
    for (Map.Entry<String, NDArray> e : bySize) {
      if (mineSize <= theirSize) {
        mine.add(e);
        mineSize += e.getValue().size();
      } else {
        theirs.add(e);
        theirSize += e.getValue().size();
      }
    }
    Future<?> other = helper.submit(() -> theirs.forEach(e -> update(e.getKey(), e.getValue(), gradients, u)));
    mine.forEach(e -> update(e.getKey(), e.getValue(), gradients, u));
    try {
      other.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the Adam update", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Adam update failed on the helper thread: " + e.getCause(), e.getCause());
    }
  }

  /** The scalars of one step, shared by every array's update. */
  private record Update(float lr, float eps, float b1, float b2, boolean decoupled, float shrink, float penalty) {}

  /** {@code gradients} null: the gradient on {@code w}'s {@code .grad}, which accumulates the next step's. */
  private void update(String name, NDArray w, Map<String, NDArray> gradients, Update u) {
    NDArray m = mean.get(name);
    NDArray v = variance.get(name);
    boolean stored = gradients == null;
    try (NDArray g = stored ? w.getGradient() : gradients.get(name)) {
      if (frozen.contains(name)) {
        g.muli(0);
        return;
      }
      if (u.penalty() > 0) {
        addPenaltyGradient(g, w, u.penalty());
      }
      if (kernel == Kernel.JAVA_LOOP && AdamLoop.applies(w)) {
        AdamLoop.update(w, g, m, v, u.lr(), u.eps(), u.b1(), u.b2(), u.decoupled(), u.shrink());
        return;
      }
      if (kernel == Kernel.JAVA_FUSED && AdamLoop.applies(w)) {
        // a step's own gradient is dropped with the step: no need to zero it (a stored one accumulates the next)
        AdamLoop.StateViews s = views.compute(name, (k, kept) -> kept != null && kept.views(w, m, v) ? kept
            : AdamLoop.StateViews.of(w, m, v));
        AdamLoop.updateFused(s, g, u.lr(), u.eps(), u.b1(), u.b2(), u.decoupled(), u.shrink(), stored);
        return;
      }
      // In-place libtorch ops with three short-lived temporaries: about a third of the time of DJL's
      // adamUpdate kernel on the K x 64 tables, which dominate a step.
      try (NDArray gm = g.mul(1 - u.b1())) {
        m.muli(u.b1()).addi(gm);
      }
      try (NDArray g2 = g.square()) {
        v.muli(u.b2()).addi(g2.muli(1 - u.b2()));
      }
      if (u.decoupled()) {
        w.muli(u.shrink());
      }
      try (NDArray denom = v.sqrt()) {
        denom.addi(u.eps());
        try (NDArray update = m.div(denom)) {
          w.subi(update.muli(u.lr()));
        }
      }
      g.muli(0);
    }
  }

  /**
   * {@code g += wd·W/‖W‖_F}. The tiny constant keeps arrays that are exactly zero (every bias at
   * initialisation) at a zero gradient instead of 0/0.
   */
  private static void addPenaltyGradient(NDArray g, NDArray w, float wd) {
    try (NDArray norm = w.norm(); NDArray term = w.div(norm.addi(1e-30f))) {
      term.muli(wd);
      g.addi(term);
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
