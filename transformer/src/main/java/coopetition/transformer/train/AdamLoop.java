package coopetition.transformer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Adam's update of one array as two Java passes over the tensors' own memory (zero-copy direct
 * buffers onto libtorch's storage) around one libtorch square root: about 12 array passes and 3 JNI
 * calls, where the 13 libtorch ops of {@link Adam} make about 30 passes and 13 calls per array.
 * Measured on the quick model (832k parameters, 1 thread, load 18): 2.7 -> 2.1 ms per step (lower
 * quartile of 41 interleaved rounds of CPU time; a plain loop over the direct buffers gave 2.1-2.4).
 *
 * <p>Bit-identical to those ops: each element goes through the same float operations in the same
 * order (Java neither fuses a·b+c nor flushes denormals, and libtorch rounds every elementwise op).
 * The square root stays libtorch's: its CPU kernel is not the correctly rounded one (it differs from
 * {@code Math.sqrt} in the last bit for about 17% of floats), so a Java root would change the runs.
 *
 * <p>Each pass runs with explicit SIMD ({@link AdamVector}) when the JVM has the Vector API, else
 * through small heap arrays; the two give the same bits.
 */
final class AdamLoop {
  private static final int CHUNK = 2048;
  /** Whether {@link AdamVector} can run: the JVM resolved the incubating module at start-up. */
  static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private AdamLoop() {}

  /** True when the arrays live in host memory, where their storage can be read directly. */
  static boolean applies(NDArray w) {
    return w instanceof PtNDArray && !w.getDevice().isGpu() && w.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32;
  }

  /**
   * One update: m ← b1·m + (1-b1)·g; v ← b2·v + (1-b2)·g²; w ← shrink·w (AdamW only);
   * w ← w - lr·(m / (√v + eps)); g ← 0.
   */
  static void update(NDArray w, NDArray g, NDArray m, NDArray v, float lr, float eps, float b1, float b2,
      boolean decoupled, float shrink) {
    if (VECTOR) {
      ByteBuffer[] b = byteViews(w, g, m, v);
      int n = b[0].capacity() / Float.BYTES;
      AdamVector.moments(b[1], b[2], b[3], n, b1, b2);
      try (NDArray root = v.sqrt()) {
        AdamVector.weights(b[0], b[2], bytes(root), n, lr, eps, decoupled ? shrink : 1);
      }
    } else {
      updateChunked(w, g, m, v, lr, eps, b1, b2, decoupled, shrink);
    }
  }

  /** {@link #update} through small heap arrays (the JVM without the Vector API; tests compare the two). */
  static void updateChunked(NDArray w, NDArray g, NDArray m, NDArray v, float lr, float eps, float b1, float b2,
      boolean decoupled, float shrink) {
    FloatBuffer[] b = buffers(w, g, m, v);
    FloatBuffer wb = b[0];
    FloatBuffer gb = b[1];
    FloatBuffer mb = b[2];
    FloatBuffer vb = b[3];
    int n = wb.capacity();
    float c1 = 1 - b1;
    float c2 = 1 - b2;
    // Chunks copied into small heap arrays (they stay in L1): the JIT vectorises loops over arrays,
    // not over direct buffers.
    float[] gc = new float[CHUNK];
    float[] mc = new float[CHUNK];
    float[] vc = new float[CHUNK];
    float[] zeros = new float[CHUNK];
    for (int at = 0; at < n; at += CHUNK) {
      int len = Math.min(CHUNK, n - at);
      gb.get(at, gc, 0, len);
      mb.get(at, mc, 0, len);
      vb.get(at, vc, 0, len);
      for (int i = 0; i < len; i++) {
        float gi = gc[i];
        mc[i] = mc[i] * b1 + gi * c1;
        vc[i] = vc[i] * b2 + (gi * gi) * c2;
      }
      mb.put(at, mc, 0, len);
      vb.put(at, vc, 0, len);
      gb.put(at, zeros, 0, len);
    }
    try (NDArray root = v.sqrt()) {
      FloatBuffer rb = floats(root);
      float[] wc = gc;
      float[] rc = vc;
      for (int at = 0; at < n; at += CHUNK) {
        int len = Math.min(CHUNK, n - at);
        wb.get(at, wc, 0, len);
        mb.get(at, mc, 0, len);
        rb.get(at, rc, 0, len);
        if (decoupled) {
          for (int i = 0; i < len; i++) {
            wc[i] = wc[i] * shrink;
          }
        }
        for (int i = 0; i < len; i++) {
          wc[i] = wc[i] - (mc[i] / (rc[i] + eps)) * lr;
        }
        wb.put(at, wc, 0, len);
      }
    }
  }

  /**
   * The same update in one pass, with Java's square root (correctly rounded, so about 17% of the roots
   * differ from libtorch's in the last bit): w, g, m and v are each read once and written once. With
   * SIMD ({@link AdamVector}) when the JVM has the Vector API, else in chunks; both give the same bits.
   */
  static void updateFused(NDArray w, NDArray g, NDArray m, NDArray v, float lr, float eps, float b1, float b2,
      boolean decoupled, float shrink) {
    updateFused(w, g, m, v, lr, eps, b1, b2, decoupled, shrink, true);
  }

  /** As above; {@code clearGradient} false leaves g as it was (a per-step leaf's gradient, dropped after the step). */
  static void updateFused(NDArray w, NDArray g, NDArray m, NDArray v, float lr, float eps, float b1, float b2,
      boolean decoupled, float shrink, boolean clearGradient) {
    if (VECTOR) {
      ByteBuffer[] b = byteViews(w, g, m, v);
      AdamVector.update(b[0], b[1], b[2], b[3], b[0].capacity() / Float.BYTES, lr, eps, b1, b2,
          decoupled ? shrink : 1, clearGradient);
    } else {
      updateFusedChunked(w, g, m, v, lr, eps, b1, b2, decoupled, shrink);
    }
  }

  /**
   * Byte views of one array's w, m and v, made once and kept: every update writes them in place, so their storage
   * stays put from step to step, and a step then asks libtorch for one view (the gradient's) instead of four.
   */
  record StateViews(NDArray w, NDArray m, NDArray v, ByteBuffer wb, ByteBuffer mb, ByteBuffer vb) {
    static StateViews of(NDArray w, NDArray m, NDArray v) {
      ByteBuffer[] b = {bytes(w), bytes(m), bytes(v)};
      for (ByteBuffer x : b) {
        if (x.capacity() != b[0].capacity()) {
          throw new IllegalStateException("Adam: arrays of different sizes for " + w.getName());
        }
      }
      return new StateViews(w, m, v, b[0], b[1], b[2]);
    }

    /** Whether these are the views of exactly these arrays. */
    boolean views(NDArray w2, NDArray m2, NDArray v2) {
      return w == w2 && m == m2 && v == v2;
    }
  }

  /** {@link #updateFused} through kept views of w, m and v. */
  static void updateFused(StateViews s, NDArray g, float lr, float eps, float b1, float b2, boolean decoupled,
      float shrink, boolean clearGradient) {
    if (!VECTOR) {
      updateFusedChunked(s.w(), g, s.m(), s.v(), lr, eps, b1, b2, decoupled, shrink);
      return;
    }
    ByteBuffer gb = bytes(g);
    if (gb.capacity() != s.wb().capacity()) {
      throw new IllegalStateException("Adam: a gradient of another size for " + s.w().getName());
    }
    AdamVector.update(s.wb(), gb, s.mb(), s.vb(), gb.capacity() / Float.BYTES, lr, eps, b1, b2, decoupled ? shrink : 1,
        clearGradient);
  }

  /** {@link #updateFused} through small heap arrays (the JVM without the Vector API; tests compare the two). */
  static void updateFusedChunked(NDArray w, NDArray g, NDArray m, NDArray v, float lr, float eps, float b1,
      float b2, boolean decoupled, float shrink) {
    FloatBuffer[] b = buffers(w, g, m, v);
    FloatBuffer wb = b[0];
    FloatBuffer gb = b[1];
    FloatBuffer mb = b[2];
    FloatBuffer vb = b[3];
    int n = wb.capacity();
    float c1 = 1 - b1;
    float c2 = 1 - b2;
    float keep = decoupled ? shrink : 1;
    float[] wc = new float[CHUNK];
    float[] gc = new float[CHUNK];
    float[] mc = new float[CHUNK];
    float[] vc = new float[CHUNK];
    float[] zeros = new float[CHUNK];
    for (int at = 0; at < n; at += CHUNK) {
      int len = Math.min(CHUNK, n - at);
      wb.get(at, wc, 0, len);
      gb.get(at, gc, 0, len);
      mb.get(at, mc, 0, len);
      vb.get(at, vc, 0, len);
      for (int i = 0; i < len; i++) {
        float gi = gc[i];
        float mi = mc[i] * b1 + gi * c1;
        float vi = vc[i] * b2 + (gi * gi) * c2;
        mc[i] = mi;
        vc[i] = vi;
        wc[i] = wc[i] * keep - (mi / ((float) Math.sqrt(vi) + eps)) * lr;
      }
      wb.put(at, wc, 0, len);
      mb.put(at, mc, 0, len);
      vb.put(at, vc, 0, len);
      gb.put(at, zeros, 0, len);
    }
  }

  /** Views onto the four arrays' storage, checked to be the same length. */
  private static FloatBuffer[] buffers(NDArray w, NDArray g, NDArray m, NDArray v) {
    ByteBuffer[] b = byteViews(w, g, m, v);
    return new FloatBuffer[] {b[0].asFloatBuffer(), b[1].asFloatBuffer(), b[2].asFloatBuffer(), b[3].asFloatBuffer()};
  }

  private static ByteBuffer[] byteViews(NDArray w, NDArray g, NDArray m, NDArray v) {
    ByteBuffer[] b = {bytes(w), bytes(g), bytes(m), bytes(v)};
    for (ByteBuffer x : b) {
      if (x.capacity() != b[0].capacity()) {
        throw new IllegalStateException("Adam: arrays of different sizes for " + w.getName());
      }
    }
    return b;
  }

  private static FloatBuffer floats(NDArray a) {
    return bytes(a).asFloatBuffer();
  }

  private static ByteBuffer bytes(NDArray a) {
    return ((PtNDArray) a).toByteBuffer(true).order(ByteOrder.nativeOrder());
  }
}
