package coopetition.transformer.model;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * The causal attention core (scores, softmax, pattern × values) and its backward, in Java, for sequences
 * as short as this model's (5-17 tokens, head width 8). libtorch runs each of these products as a batch of
 * tiny matrices below its BLAS threshold, a scalar loop, and softmaxes rows of 5; at the quick model's
 * shapes that was a fifth of a training step for about 1% of its FLOPs (docs/PERFORMANCE.md).
 *
 * <p><b>Channel-major layout.</b> The kernel reads q, k and v with each channel's heads side by side: the QKV
 * projection's output as {@code [B, T, 3, hd, H]} and the heads' outputs as {@code [B, T, hd, H]}. The model
 * gets that layout for free by reordering the rows of the QKV weight and the columns of the output projection
 * (in training a step's copies, {@link StepLeaves}; else {@link KernelPass#channelMajorQkv} and
 * {@link KernelPass#channelMajorProjection} in the graph), so the kernel works straight
 * on libtorch's storage with no transposes, and a vector of 2H lanes holds two channels of all heads: every
 * head's softmax runs in its own lanes.
 *
 * <p><b>One order of operations.</b> A head's score q·k is the sum of its even channels, in channel order, plus
 * the sum of its odd channels, in channel order; every other sum runs over keys in order, from 0. The SIMD
 * passes ({@link AttentionVector}) do exactly these operations in every lane, so they give the scalar passes'
 * bits (tested), and the exponential is {@link CrossEntropyKernel#exp}'s, written from IEEE operations, for
 * the same reason. The forward keeps the pattern ({@code [B, pairs, 2H]}, pairs = T(T+1)/2 causal
 * (query, key) pairs) for the backward, which reads q, k and v again from the projection's output. One pass at
 * a time per kernel; not thread-safe.
 */
public final class AttentionKernel {
  /** Whether the SIMD passes can run: the JVM resolved the incubating module at start-up. */
  private static final boolean VECTOR = CrossEntropyKernel.VECTOR;
  private final int b;
  private final int t;
  private final int h;
  private final int hd;
  private final int d;
  private final int pairs;
  private final float scale;
  /** The softmaxed pattern [B, pairs, 2H]: each head's value twice, as the SIMD passes hold it. */
  private final float[] p;
  /** The SIMD passes for these shapes, or null where the scalar ones run. */
  private final AttentionVector simd;

  /** An empty kernel for {@code batch} sequences of {@code tokens} tokens, {@code heads} heads of width {@code headDim}. */
  public AttentionKernel(int batch, int tokens, int heads, int headDim) {
    this(batch, tokens, heads, headDim, VECTOR);
  }

  /** As above; {@code simd} false forces the scalar passes (tests compare the two). */
  AttentionKernel(int batch, int tokens, int heads, int headDim, boolean simd) {
    if (batch < 1 || tokens < 1 || heads < 1 || headDim < 2 || headDim % 2 != 0) {
      throw new IllegalArgumentException("the Java attention kernel needs an even head width, got batch " + batch
          + ", " + tokens + " tokens, " + heads + " heads of " + headDim);
    }
    this.b = batch;
    this.t = tokens;
    this.h = heads;
    this.hd = headDim;
    this.d = heads * headDim;
    this.pairs = tokens * (tokens + 1) / 2;
    this.scale = (float) (1 / Math.sqrt(headDim));
    this.p = new float[Math.multiplyExact(batch * pairs, 2 * heads)];
    this.simd = simd ? AttentionVector.forShapes(tokens, heads, headDim) : null;
  }

  /** Whether this kernel holds passes of these shapes. */
  boolean fits(int batch, int tokens, int heads, int headDim) {
    return batch == b && tokens == t && heads == h && headDim == hd;
  }

  /** Floats per vector of the SIMD passes, 0 where the scalar passes run (no module, or other shapes). */
  int lanes() {
    return simd == null ? 0 : AttentionVector.lanes();
  }

  /**
   * Forward: reads {@code qkv} [B, T, 3, hd, H], writes the heads' outputs to {@code z} [B, T, hd, H] and keeps
   * the pattern for the backward. Both buffers hold floats in native byte order from position 0.
   */
  public void forward(ByteBuffer qkv, ByteBuffer z) {
    check(qkv, 3L * b * t * d, "qkv");
    check(z, (long) b * t * d, "z");
    if (simd != null) {
      simd.forward(qkv, z, p, b, scale);
    } else {
      forwardScalar(qkv.asFloatBuffer(), z.asFloatBuffer());
    }
  }

  /**
   * Backward of the last {@link #forward}: from the same {@code qkv} and the gradient of the heads' outputs
   * {@code dz} [B, T, hd, H], writes the gradient of the QKV projection's output to {@code dqkv} [B, T, 3, hd, H].
   */
  public void backward(ByteBuffer qkv, ByteBuffer dz, ByteBuffer dqkv) {
    check(qkv, 3L * b * t * d, "qkv");
    check(dz, (long) b * t * d, "dz");
    check(dqkv, 3L * b * t * d, "dqkv");
    if (simd != null) {
      simd.backward(qkv, dz, dqkv, p, b, scale);
    } else {
      backwardScalar(qkv.asFloatBuffer(), dz.asFloatBuffer(), dqkv.asFloatBuffer());
    }
  }

  /** The softmaxed pattern of the last forward, [B, H, T, T] (query row, key column), zeros above the diagonal. */
  public float[] pattern() {
    float[] out = new float[b * h * t * t];
    for (int x = 0; x < b; x++) {
      for (int hi = 0; hi < h; hi++) {
        for (int i = 0; i < t; i++) {
          for (int j = 0; j <= i; j++) {
            out[((x * h + hi) * t + i) * t + j] = p[(x * pairs + pair(i, j)) * 2 * h + hi];
          }
        }
      }
    }
    return out;
  }

  private static void check(ByteBuffer buf, long floats, String name) {
    if (buf.capacity() != 4 * floats) {
      throw new IllegalArgumentException(name + " holds " + buf.capacity() / 4 + " floats, the kernel's shapes need "
          + floats + " (a contiguous array)");
    }
  }

  /** Index of the causal (query i, key j <= i) pair. */
  static int pair(int i, int j) {
    return i * (i + 1) / 2 + j;
  }

  /** Float index of part (0 q, 1 k, 2 v) of token i of sequence x in [B, T, 3, hd, H]. */
  private int qkvAt(int x, int i, int part) {
    return ((x * t + i) * 3 + part) * d;
  }

  /** Head hi's dot product of the rows at {@code a} and {@code c}: even channels in order, plus odd channels in order. */
  private float dot(FloatBuffer u, int a, FloatBuffer w, int c, int hi) {
    float even = 0f;
    float odd = 0f;
    for (int ch = 0; ch < hd; ch += 2) {
      even = even + u.get(a + ch * h + hi) * w.get(c + ch * h + hi);
      odd = odd + u.get(a + (ch + 1) * h + hi) * w.get(c + (ch + 1) * h + hi);
    }
    return even + odd;
  }

  private void forwardScalar(FloatBuffer qkv, FloatBuffer z) {
    float[] e = new float[t];
    for (int x = 0; x < b; x++) {
      for (int i = 0; i < t; i++) {
        int qi = qkvAt(x, i, 0);
        int zi = (x * t + i) * d;
        for (int hi = 0; hi < h; hi++) {
          float max = Float.NEGATIVE_INFINITY;
          for (int j = 0; j <= i; j++) {
            e[j] = dot(qkv, qi, qkv, qkvAt(x, j, 1), hi) * scale;
            max = Math.max(max, e[j]);
          }
          float sum = 0f;
          for (int j = 0; j <= i; j++) {
            e[j] = CrossEntropyKernel.exp(e[j] - max);
            sum = sum + e[j];
          }
          float r = 1f / sum;
          for (int j = 0; j <= i; j++) {
            e[j] = e[j] * r;
            int at = (x * pairs + pair(i, j)) * 2 * h + hi;
            p[at] = e[j];
            p[at + h] = e[j];
          }
          for (int ch = 0; ch < hd; ch++) {
            float acc = 0f;
            for (int j = 0; j <= i; j++) {
              acc = acc + e[j] * qkv.get(qkvAt(x, j, 2) + ch * h + hi);
            }
            z.put(zi + ch * h + hi, acc);
          }
        }
      }
    }
  }

  private void backwardScalar(FloatBuffer qkv, FloatBuffer dz, FloatBuffer dqkv) {
    float[] dk = new float[t * d];
    float[] dv = new float[t * d];
    float[] dp = new float[t];
    for (int x = 0; x < b; x++) {
      java.util.Arrays.fill(dk, 0f);
      java.util.Arrays.fill(dv, 0f);
      for (int i = 0; i < t; i++) {
        int qi = qkvAt(x, i, 0);
        int zi = (x * t + i) * d;
        for (int hi = 0; hi < h; hi++) {
          // dp_ij = dz_i · v_j; dv_j += p_ij dz_i; r = Σ_j p_ij dp_ij
          float r = 0f;
          for (int j = 0; j <= i; j++) {
            float pj = p[(x * pairs + pair(i, j)) * 2 * h + hi];
            dp[j] = dot(dz, zi, qkv, qkvAt(x, j, 2), hi);
            for (int ch = 0; ch < hd; ch++) {
              int l = j * d + ch * h + hi;
              dv[l] = dv[l] + pj * dz.get(zi + ch * h + hi);
            }
            r = r + pj * dp[j];
          }
          // ds_ij = p_ij (dp_ij - r) · scale; dq_i = Σ_j ds_ij k_j; dk_j += ds_ij q_i
          for (int j = 0; j <= i; j++) {
            dp[j] = p[(x * pairs + pair(i, j)) * 2 * h + hi] * (dp[j] - r) * scale;
          }
          for (int ch = 0; ch < hd; ch++) {
            float dq = 0f;
            for (int j = 0; j <= i; j++) {
              dq = dq + dp[j] * qkv.get(qkvAt(x, j, 1) + ch * h + hi);
              int l = j * d + ch * h + hi;
              dk[l] = dk[l] + dp[j] * qkv.get(qi + ch * h + hi);
            }
            dqkv.put(qi + ch * h + hi, dq);
          }
        }
      }
      for (int j = 0; j < t; j++) {
        for (int l = 0; l < d; l++) {
          dqkv.put(qkvAt(x, j, 1) + l, dk[j * d + l]);
          dqkv.put(qkvAt(x, j, 2) + l, dv[j * d + l]);
        }
      }
    }
  }
}
