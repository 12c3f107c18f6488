package coopetition.transformer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The attention weights in the layout {@link AttentionKernel} reads (channel-major: the QKV weight's rows and the
 * output projection's columns reordered), as Java copies kept from step to step, and their gradients put back in
 * the stored layout. Reordering them in libtorch's graph instead costs a reshape, a permute and a copy each, forward
 * and backward (docs/PERFORMANCE.md). Used by {@link StepLeaves} and {@link TapeFreeStep}.
 */
final class ChannelMajorWeights implements AutoCloseable {
  private final ModelConfig c;
  private final NDManager own;
  /** The copies by parameter name, overwritten at each {@link #refresh}. */
  private final Map<String, NDArray> copies = new LinkedHashMap<>();

  /** Copies for a model of shape {@code c}, living in a child of {@code parent}. */
  ChannelMajorWeights(ModelConfig c, NDManager parent) {
    this.c = c;
    this.own = parent.newSubManager();
  }

  /** Copies every attention weight of {@code params} into its channel-major copy (made at the first call). */
  void refresh(Parameters params) {
    for (Map.Entry<String, NDArray> e : params.arrays().entrySet()) {
      Layout layout = layout(e.getKey());
      if (layout == Layout.STORED) {
        continue;
      }
      NDArray stored = e.getValue();
      NDArray copy = copies.computeIfAbsent(e.getKey(), n -> own.create(stored.getShape(), DataType.FLOAT32));
      reorder(layout, c, HostArrays.bytes(stored).asFloatBuffer(), HostArrays.bytes(copy).asFloatBuffer(), true);
    }
  }

  /** The channel-major copy of parameter {@code name} as of the last {@link #refresh}, or null if it has none. */
  NDArray copyOf(String name) {
    return copies.get(name);
  }

  /** Whether parameter {@code name} is read channel-major. */
  static boolean reordered(String name) {
    return layout(name) != Layout.STORED;
  }

  /** {@code gradient}, in parameter {@code name}'s channel-major layout, as a new array in its stored layout in {@code m}. */
  NDArray toStored(String name, NDArray gradient, NDManager m) {
    NDArray out = m.create(gradient.getShape(), DataType.FLOAT32);
    reorder(layout(name), c, HostArrays.bytes(gradient).asFloatBuffer(), HostArrays.bytes(out).asFloatBuffer(), false);
    return out;
  }

  @Override
  public void close() {
    own.close();
  }

  /** How the Java attention core reads a parameter. */
  private enum Layout { STORED, QKV_ROWS, PROJECTION_COLUMNS }

  private static Layout layout(String name) {
    if (name.startsWith("block") && name.endsWith(".attn.qkv")) {
      return Layout.QKV_ROWS;
    }
    if (name.startsWith("block") && name.endsWith(".attn.proj")) {
      return Layout.PROJECTION_COLUMNS;
    }
    return Layout.STORED;
  }

  /**
   * Copies {@code from} into {@code to} from the stored layout to the channel-major one ({@code toChannelMajor}) or
   * back. QKV weight [3·H·hd, d]: rows (part, head, channel) to (part, channel, head). Output projection [d, H·hd]:
   * columns (head, channel) to (channel, head).
   */
  private static void reorder(Layout layout, ModelConfig c, FloatBuffer from, FloatBuffer to, boolean toChannelMajor) {
    int heads = c.numHeads();
    int hd = c.headDim();
    int d = c.dModel();
    if (layout == Layout.QKV_ROWS) {
      float[] row = new float[d];
      for (int part = 0; part < 3; part++) {
        for (int h = 0; h < heads; h++) {
          for (int ch = 0; ch < hd; ch++) {
            int stored = (part * heads + h) * hd + ch;
            int channelMajor = (part * hd + ch) * heads + h;
            from.get((toChannelMajor ? stored : channelMajor) * d, row);
            to.put((toChannelMajor ? channelMajor : stored) * d, row);
          }
        }
      }
      return;
    }
    int width = heads * hd;
    float[] in = new float[width];
    float[] out = new float[width];
    for (int r = 0; r < d; r++) {
      from.get(r * width, in);
      for (int h = 0; h < heads; h++) {
        for (int ch = 0; ch < hd; ch++) {
          int stored = h * hd + ch;
          int channelMajor = ch * heads + h;
          out[toChannelMajor ? channelMajor : stored] = in[toChannelMajor ? stored : channelMajor];
        }
      }
      to.put(r * width, out);
    }
  }
}
