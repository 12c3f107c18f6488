package coopetition.transformer.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Adam's Java passes ({@link AdamLoop}) with explicit SIMD (the incubating Vector API) straight on
 * libtorch's storage. The chunked loop spends about three quarters of its time copying chunks between
 * the direct buffers and heap arrays (the JIT vectorises only loops over heap arrays); these loads and
 * stores skip the copies (bench/ab/ABAdam.java; docs/PERFORMANCE.md). Bit-identical to the chunked
 * loops: the same float operations in the same order, each rounded ({@code mul} then {@code add}, never fused), and the vector square root and
 * division are correctly rounded like {@code Math.sqrt} and {@code /}.
 *
 * <p>Only loaded when the JVM was started with {@code --add-modules jdk.incubator.vector} (bin/coop
 * does for the commands that train); {@link AdamLoop} checks first.
 */
final class AdamVector {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final ByteOrder ORDER = ByteOrder.nativeOrder();

  private AdamVector() {}

  /**
   * Updates the first {@code n} floats of w, m and v from g and, if {@code clear}, zeroes g (a gradient that
   * lives on: a per-step leaf's is dropped instead); the buffers are in native byte order.
   */
  static void update(ByteBuffer w, ByteBuffer g, ByteBuffer m, ByteBuffer v, int n, float lr, float eps,
      float b1, float b2, float keep, boolean clear) {
    float c1 = 1 - b1;
    float c2 = 1 - b2;
    FloatVector zero = FloatVector.zero(S);
    int lanes = S.length();
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      int at = 4 * i;
      FloatVector gi = FloatVector.fromByteBuffer(S, g, at, ORDER);
      FloatVector mi = FloatVector.fromByteBuffer(S, m, at, ORDER).mul(b1).add(gi.mul(c1));
      FloatVector vi = FloatVector.fromByteBuffer(S, v, at, ORDER).mul(b2).add(gi.mul(gi).mul(c2));
      FloatVector wi = FloatVector.fromByteBuffer(S, w, at, ORDER).mul(keep).sub(mi.div(vi.sqrt().add(eps)).mul(lr));
      mi.intoByteBuffer(m, at, ORDER);
      vi.intoByteBuffer(v, at, ORDER);
      wi.intoByteBuffer(w, at, ORDER);
      if (clear) {
        zero.intoByteBuffer(g, at, ORDER);
      }
    }
    for (; i < n; i++) { // the tail, element by element, with the same operations
      int at = 4 * i;
      float gi = g.getFloat(at);
      float mi = m.getFloat(at) * b1 + gi * c1;
      float vi = v.getFloat(at) * b2 + (gi * gi) * c2;
      m.putFloat(at, mi);
      v.putFloat(at, vi);
      w.putFloat(at, w.getFloat(at) * keep - (mi / ((float) Math.sqrt(vi) + eps)) * lr);
      if (clear) {
        g.putFloat(at, 0f);
      }
    }
  }

  /**
   * {@link AdamLoop#update}'s first pass: m and v from g, then g zeroed (the same bits as the chunked pass).
   */
  static void moments(ByteBuffer g, ByteBuffer m, ByteBuffer v, int n, float b1, float b2) {
    float c1 = 1 - b1;
    float c2 = 1 - b2;
    FloatVector zero = FloatVector.zero(S);
    int lanes = S.length();
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      int at = 4 * i;
      FloatVector gi = FloatVector.fromByteBuffer(S, g, at, ORDER);
      FloatVector.fromByteBuffer(S, m, at, ORDER).mul(b1).add(gi.mul(c1)).intoByteBuffer(m, at, ORDER);
      FloatVector.fromByteBuffer(S, v, at, ORDER).mul(b2).add(gi.mul(gi).mul(c2)).intoByteBuffer(v, at, ORDER);
      zero.intoByteBuffer(g, at, ORDER);
    }
    for (; i < n; i++) {
      int at = 4 * i;
      float gi = g.getFloat(at);
      m.putFloat(at, m.getFloat(at) * b1 + gi * c1);
      v.putFloat(at, v.getFloat(at) * b2 + (gi * gi) * c2);
      g.putFloat(at, 0f);
    }
  }

  /** {@link AdamLoop#update}'s second pass: w from m and the root of v (libtorch's), {@code keep} = 1 unless AdamW. */
  static void weights(ByteBuffer w, ByteBuffer m, ByteBuffer root, int n, float lr, float eps, float keep) {
    int lanes = S.length();
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      int at = 4 * i;
      FloatVector mi = FloatVector.fromByteBuffer(S, m, at, ORDER);
      FloatVector ri = FloatVector.fromByteBuffer(S, root, at, ORDER);
      FloatVector.fromByteBuffer(S, w, at, ORDER).mul(keep).sub(mi.div(ri.add(eps)).mul(lr)).intoByteBuffer(w, at, ORDER);
    }
    for (; i < n; i++) {
      int at = 4 * i;
      w.putFloat(at, w.getFloat(at) * keep - (m.getFloat(at) / (root.getFloat(at) + eps)) * lr);
    }
  }
}
