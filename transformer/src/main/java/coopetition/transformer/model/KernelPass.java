package coopetition.transformer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A training pass whose attention cores run in {@link AttentionKernel}. libtorch's autograd cannot call a
 * Java backward, so the pass cuts the graph in front of each core (the core's output is a fresh leaf) and
 * at each block's input (a detached leaf, so that no part of the graph is walked twice), and
 * {@link #backward} walks the pieces from the loss down, handing each piece the gradient the piece above
 * left on its leaf. The parameters' gradients are the autograd ones up to float rounding.
 *
 * <p>One pass per thread, reused from step to step (its kernels keep their buffers); not for hooks or
 * pattern read-out, which need the libtorch core.
 */
public final class KernelPass {
  private final List<AttentionKernel> kernels = new ArrayList<>();
  private final List<Layer> layers = new ArrayList<>();
  private float[] qkvIn = new float[0];
  private float[] zOut = new float[0];
  private float[] dzIn = new float[0];
  private float[] dqkvOut = new float[0];

  /** What one layer's backward needs: the block's input (graph and leaf), the core's input and output. */
  private record Layer(NDArray input, NDArray inputLeaf, NDArray qkv, NDArray z) {}

  /** Starts a forward pass (drops the previous pass's references; their arrays belong to its manager). */
  void begin() {
    layers.clear();
  }

  /** The block input {@code h} of {@code layer} cut from the graph below: the block reads the returned leaf. */
  NDArray cut(int layer, NDArray h) {
    NDArray leaf = h.stopGradient();
    leaf.setRequiresGradient(true);
    layers.add(new Layer(h, leaf, null, null));
    return leaf;
  }

  /**
   * The attention core of {@code layer}: from the QKV projection's output [B, T, 3·H·hd] to the heads'
   * outputs [B, T, H·hd], as a leaf that collects their gradient.
   */
  NDArray core(int layer, NDArray qkv, int heads, int headDim) {
    Shape s = qkv.getShape();
    int b = (int) s.get(0);
    int t = (int) s.get(1);
    int n = (int) qkv.size();
    qkvIn = fit(qkvIn, n);
    zOut = fit(zOut, n / 3);
    read(qkv, qkvIn);
    AttentionKernel k = kernel(layer, b, t, heads, headDim);
    k.forward(qkvIn, zOut);
    NDArray z = qkv.getManager().create(zOut, new Shape(b, t, (long) heads * headDim));
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
    for (int l = layers.size() - 1; l >= 0; l--) {
      Layer layer = layers.get(l);
      NDArray dz = layer.z().getGradient();
      int n = (int) dz.size();
      dzIn = fit(dzIn, n);
      dqkvOut = fit(dqkvOut, 3 * n);
      read(dz, dzIn);
      kernels.get(l).backward(dzIn, dqkvOut);
      NDArray dqkv = dz.getManager().create(dqkvOut, layer.qkv().getShape());
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

  private static float[] fit(float[] a, int n) {
    return a.length == n ? a : new float[n];
  }

  /** Copies a host float array's elements into {@code dst} (one bulk copy from libtorch's storage). */
  private static void read(NDArray a, float[] dst) {
    ((PtNDArray) a).toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer().get(0, dst);
  }
}
