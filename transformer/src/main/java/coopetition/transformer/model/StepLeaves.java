package coopetition.transformer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters as one {@code kernels=java} training step reads them: a fresh leaf per parameter, which collects
 * the step's gradient in a fresh tensor, and {@link #gradients()} after the backward.
 *
 * <p><b>Why leaves.</b> Stored parameters keep one {@code .grad} from step to step, which libtorch first zeroes and
 * then adds every new gradient into: two passes over every gradient (about 3% of a batch-128 step) that a fresh
 * leaf skips. The values are the same: 0 + g is g, and the zero's sign cannot reach Adam's update
 * (docs/PERFORMANCE.md).
 *
 * <p><b>Why the attention weights are copied.</b> {@link AttentionKernel} reads the QKV projection's output
 * channel-major, so the QKV weight's rows and the output projection's columns are read reordered. Reordering them
 * in the graph costs a reshape, a permute and a copy each, forward and backward: about a fifth of a step's libtorch
 * calls. Here they are reordered in Java into arrays kept from step to step ({@link ChannelMajorWeights}), the leaves
 * are views of those, and {@link #gradients()} reorders their gradients back: the same values moved, so the same
 * bits.
 *
 * <p>Reused from step to step ({@link #begin}); not thread-safe, but one step's leaves may be read by both workers.
 */
public final class StepLeaves implements AutoCloseable {
  private final NDManager parent;
  /** The attention weights' channel-major copies, refreshed at each {@link #begin} (made at the first). */
  private ChannelMajorWeights channelMajor;
  /** This step's leaves by parameter name (views of the channel-major copies for the attention weights). */
  private Map<String, NDArray> leaves;
  /** Gradients computed in Java and handed over without autograd ({@link #addGradient}), by parameter name. */
  private final Map<String, float[]> javaGradients = new LinkedHashMap<>();
  private NDManager step;

  /** Leaves for the steps of a model; the reordered copies live in a child of {@code parent}. */
  public StepLeaves(NDManager parent) {
    this.parent = parent;
  }

  /** This step's leaves of {@code params}, in {@code stepManager} (which frees them). */
  public void begin(Parameters params, NDManager stepManager) {
    this.step = stepManager;
    if (channelMajor == null) {
      channelMajor = new ChannelMajorWeights(params.config(), parent);
    }
    channelMajor.refresh(params);
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : params.arrays().entrySet()) {
      String name = e.getKey();
      NDArray copy = channelMajor.copyOf(name);
      NDArray leaf = (copy != null ? copy : e.getValue()).stopGradient();
      leaf.attach(stepManager); // lands in its source's manager otherwise, and every step would leak one
      leaf.setRequiresGradient(true);
      out.put(name, leaf);
    }
    this.leaves = out;
    javaGradients.clear();
  }

  /**
   * Whether {@code a} is one of this step's leaves: the same array, not a view of one (by identity: an NDArray's
   * equals compares contents).
   */
  boolean isLeaf(NDArray a) {
    return nameOf(a) != null;
  }

  private String nameOf(NDArray a) {
    if (leaves != null) {
      for (Map.Entry<String, NDArray> e : leaves.entrySet()) {
        if (e.getValue() == a) {
          return e.getKey();
        }
      }
    }
    return null;
  }

  /**
   * Adds {@code g} to the gradient of leaf {@code leaf}, computed in Java (the unembedding bias's, by the Java loss),
   * so that no autograd call carries it. Two workers' halves add up here: g1 + g2, the same sum in either order, as
   * autograd's accumulation gives.
   */
  synchronized void addGradient(NDArray leaf, float[] g) {
    String name = nameOf(leaf);
    if (name == null || g.length != leaf.size()) {
      throw new IllegalArgumentException("addGradient: not a leaf of this step, or another size");
    }
    float[] sum = javaGradients.get(name);
    if (sum == null) {
      javaGradients.put(name, g.clone());
    } else {
      for (int i = 0; i < sum.length; i++) {
        sum[i] = sum[i] + g[i];
      }
    }
  }

  /** Parameter {@code name} as this step reads it: channel-major for the attention weights (see above). */
  NDArray read(String name) {
    NDArray leaf = leaves == null ? null : leaves.get(name);
    if (leaf == null) {
      throw new IllegalArgumentException(leaves == null ? "no step begun" : "no parameter " + name);
    }
    return leaf;
  }

  /**
   * After the step's backward: each parameter's gradient in its stored layout, by name, as arrays in the step's
   * manager that the caller may change and closes.
   */
  public Map<String, NDArray> gradients() {
    if (leaves == null) {
      throw new IllegalStateException("gradients() follows begin(...) and a backward");
    }
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : leaves.entrySet()) {
      String name = e.getKey();
      float[] javaGradient = javaGradients.get(name);
      if (javaGradient != null) {
        out.put(name, HostArrays.floats(step, javaGradient, e.getValue().getShape()));
        continue;
      }
      NDArray g = e.getValue().getGradient();
      if (ChannelMajorWeights.reordered(name)) {
        NDArray stored = channelMajor.toStored(name, g, step);
        g.close();
        g = stored;
      }
      out.put(name, g);
    }
    leaves = null;
    javaGradients.clear();
    return out;
  }

  @Override
  public void close() {
    if (channelMajor != null) {
      channelMajor.close();
    }
  }
}
