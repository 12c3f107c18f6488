package coopetition.transformer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A training pass whose attention cores run in {@link AttentionKernel}. libtorch's autograd cannot call a
 * Java backward, so the pass cuts the graph in front of each core (the core's output is a fresh leaf) and
 * at each block's input (a detached leaf, so that no part of the graph is walked twice), and
 * {@link #backward} walks the pieces from the loss down, handing each piece the gradient the piece above
 * left on its leaf. The parameters' gradients are the autograd ones up to float rounding.
 *
 * <p>The loss can run in Java too ({@link #crossEntropy}, {@link CrossEntropyKernel}): it hands
 * {@link #backward()} the gradient at the logits, so libtorch's log-softmax and its backward drop out.
 *
 * <p>One pass per thread, reused from step to step (its kernels keep their buffers); not for hooks or
 * pattern read-out, which need the libtorch core. Close it to free the loss's gradient buffer.
 */
public final class KernelPass implements AutoCloseable {
  private final List<AttentionKernel> kernels = new ArrayList<>();
  private final List<Layer> layers = new ArrayList<>();
  /** The logits of the pass's {@link #crossEntropy} and their gradient (owned here, reused from step to step). */
  private NDArray logits;
  private NDArray logitsGradient;
  /** With the bias in the loss: the bias's gradient summed over rows, and the view of the bias it goes to. */
  private float[] biasGrad = new float[0];
  private NDArray biasLeaf;

  /** This step's leaves of the parameters, or null to read the stored arrays. */
  private StepLeaves leaves;

  /** What one layer's backward needs: the block's input (graph and leaf), the core's input and output. */
  private record Layer(NDArray input, NDArray inputLeaf, NDArray qkv, NDArray z) {}

  /** The passes from now on read and train these leaves (null: the stored parameters). */
  public void useLeaves(StepLeaves stepLeaves) {
    this.leaves = stepLeaves;
  }

  /** Parameter {@code name} as this pass reads it. */
  NDArray parameter(String name, Parameters params) {
    return leaves == null ? params.get(name) : leaves.read(name);
  }

  /**
   * The QKV weight of {@code name} [3·H·hd, d] with its rows reordered from (part, head, channel) to (part, channel,
   * head), so that the projection writes the channel-major layout {@link AttentionKernel} reads. With step leaves,
   * their reordered copy (no op in the graph); else one copy of the stored weight in the graph, in {@code m} (the
   * pass's manager, which frees it), whose gradient flows back to the stored weight's rows.
   */
  NDArray channelMajorQkv(String name, Parameters params, int heads, int headDim, NDManager m) {
    if (leaves != null) {
      return leaves.read(name);
    }
    NDArray w = params.get(name);
    Shape s = w.getShape();
    NDArray split = w.reshape(3, heads, headDim, s.get(1));
    split.attach(m); // a view lands in its source's manager: move it, or every step leaks arrays there
    return split.transpose(0, 2, 1, 3).reshape(s);
  }

  /** The output projection's weight [d, H·hd] with its columns reordered from (head, channel) to (channel, head). */
  NDArray channelMajorProjection(String name, Parameters params, int heads, int headDim, NDManager m) {
    if (leaves != null) {
      return leaves.read(name);
    }
    NDArray w = params.get(name);
    Shape s = w.getShape();
    NDArray split = w.reshape(s.get(0), heads, headDim);
    split.attach(m);
    return split.transpose(0, 2, 1).reshape(s);
  }

  /** Starts a forward pass (drops the previous pass's references; their arrays belong to its manager). */
  void begin() {
    layers.clear();
    logits = null;
    biasLeaf = null;
  }

  /** The block input {@code h} of {@code layer} cut from the graph below: the block reads the returned leaf. */
  NDArray cut(int layer, NDArray h) {
    NDArray leaf = h.stopGradient();
    leaf.setRequiresGradient(true);
    layers.add(new Layer(h, leaf, null, null));
    return leaf;
  }

  /**
   * The attention core of {@code layer}: from the channel-major QKV projection [B, T, 3·hd·H] to the heads'
   * outputs [B, T, hd·H], as a leaf that collects their gradient.
   */
  NDArray core(int layer, NDArray qkv, int heads, int headDim) {
    Shape s = qkv.getShape();
    int b = (int) s.get(0);
    int t = (int) s.get(1);
    AttentionKernel k = kernel(layer, b, t, heads, headDim);
    NDArray z = qkv.getManager().create(new Shape(b, t, (long) heads * headDim), DataType.FLOAT32);
    k.forward(HostArrays.bytes(qkv), HostArrays.bytes(z)); // straight on libtorch's storage, no copies
    z.setRequiresGradient(true);
    Layer l = layers.get(layer);
    layers.set(layer, new Layer(l.input(), l.inputLeaf(), qkv, z));
    return z;
  }

  /**
   * Backward of {@code loss} (a scalar) through every piece; gradients accumulate on the parameters as
   * with one autograd backward.
   */
  public void backward(NDArray loss) {
    JniUtils.backward((PtNDArray) loss, (PtNDArray) loss.onesLike(), false, false);
    backwardThroughLayers();
  }

  /**
   * The cross-entropy at the query, summed over the rows of {@code logits} [rows, K] and divided by
   * {@code batch} (the batch-mean loss's share of this slice), as a scalar in the logits' manager. Its
   * gradient at the logits is computed at once; {@link #backward()} then carries it down.
   *
   * @param targets each row's class, 0 <= target < K
   */
  public NDArray crossEntropy(NDArray logits, int[] targets, int batch) {
    return crossEntropy(logits, null, targets, batch);
  }

  /**
   * As above for the logits {@code logits} + {@code bias}, the bias [K] added in the Java pass (libtorch's
   * matmul with a bias first copies it into every row of its output: at batch 512 that copy cost as much as
   * the matmul, docs/PERFORMANCE.md). The bias's gradient, the rows' gradients summed, goes to {@code bias}
   * through libtorch's autograd in {@link #backward()}. {@code logits} keeps its values (without the bias).
   */
  public NDArray crossEntropy(NDArray logits, NDArray bias, int[] targets, int batch) {
    Shape s = logits.getShape();
    if (s.dimension() != 2 || s.get(0) != targets.length || logits.getDataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException("crossEntropy needs float logits [" + targets.length + ", K], not " + s);
    }
    int rows = (int) s.get(0);
    int k = (int) s.get(1);
    for (int t : targets) {
      if (t < 0 || t >= k) {
        throw new IllegalArgumentException("target " + t + " outside 0.." + (k - 1));
      }
    }
    if (bias != null && (bias.getShape().dimension() != 1 || bias.getShape().get(0) != k)) {
      throw new IllegalArgumentException("crossEntropy's bias must be [" + k + "], not " + bias.getShape());
    }
    if (logitsGradient == null || !logitsGradient.getShape().equals(s)) {
      closeGradient();
      logitsGradient = logits.getManager().zeros(s, DataType.FLOAT32);
      logitsGradient.detach(); // lives across steps; closed by close()
    }
    float scale = 1f / batch;
    ByteBuffer in = HostArrays.bytes(logits);
    if (in.capacity() != 4L * rows * k) {
      throw new IllegalArgumentException("crossEntropy needs contiguous logits; got a view of " + in.capacity() + " bytes");
    }
    biasLeaf = null;
    if (bias != null) {
      biasGrad = biasGrad.length == k ? biasGrad : new float[k];
      java.util.Arrays.fill(biasGrad, 0f);
      if (leaves != null && leaves.isLeaf(bias)) {
        biasLeaf = bias; // backward() hands the sum to the step's leaves, no autograd call
      } else {
        // a view of the bias with a gradient function, in the step's manager: backward() hands it the sum
        biasLeaf = bias.reshape(k);
        biasLeaf.attach(logits.getManager());
      }
    }
    float sum = CrossEntropyKernel.lossAndGradient(in, bias == null ? null : HostArrays.bytes(bias),
        HostArrays.bytes(logitsGradient), bias == null ? null : biasGrad, rows, k, targets, scale);
    this.logits = logits;
    return logits.getManager().create(sum / batch);
  }

  /** Backward from the logits of the last {@link #crossEntropy}, with the gradient it computed. */
  public void backward() {
    if (logits == null) {
      throw new IllegalStateException("backward() follows crossEntropy(...) in the same pass");
    }
    if (biasLeaf != null && leaves != null && leaves.isLeaf(biasLeaf)) {
      leaves.addGradient(biasLeaf, biasGrad);
      biasLeaf = null;
    } else if (biasLeaf != null) {
      NDArray g = HostArrays.floats(logits.getManager(), biasGrad, biasLeaf.getShape());
      JniUtils.backward((PtNDArray) biasLeaf, (PtNDArray) g, false, false);
      biasLeaf = null;
    }
    JniUtils.backward((PtNDArray) logits, (PtNDArray) logitsGradient, false, false);
    logits = null;
    backwardThroughLayers();
  }

  @Override
  public void close() {
    closeGradient();
  }

  private void closeGradient() {
    if (logitsGradient != null) {
      logitsGradient.close();
      logitsGradient = null;
    }
  }

  private void backwardThroughLayers() {
    for (int l = layers.size() - 1; l >= 0; l--) {
      Layer layer = layers.get(l);
      NDArray dz = layer.z().getGradient();
      NDArray dqkv = dz.getManager().create(layer.qkv().getShape(), DataType.FLOAT32);
      kernels.get(l).backward(HostArrays.bytes(layer.qkv()), HostArrays.bytes(dz), HostArrays.bytes(dqkv));
      JniUtils.backward((PtNDArray) layer.qkv(), (PtNDArray) dqkv, false, false);
      // the block's input has now collected its whole gradient (residual path and attention path)
      JniUtils.backward((PtNDArray) layer.input(), (PtNDArray) layer.inputLeaf().getGradient(), false, false);
    }
    layers.clear(); // the arrays belong to the step's manager, which closes them
  }

  private AttentionKernel kernel(int layer, int b, int t, int heads, int headDim) {
    while (kernels.size() <= layer) {
      kernels.add(null);
    }
    AttentionKernel k = kernels.get(layer);
    if (k == null || !k.fits(b, t, heads, headDim)) {
      k = new AttentionKernel(b, t, heads, headDim);
      kernels.set(layer, k);
    }
    return k;
  }

}
