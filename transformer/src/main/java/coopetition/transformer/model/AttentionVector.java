package coopetition.transformer.model;


import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link AttentionKernel}'s passes with explicit SIMD, for vectors of 2H lanes (8 heads on this machine's 16
 * floats): a vector holds one even and one odd channel of every head, so a head's partial sums over its even
 * and its odd channels build up side by side, and adding the vector to itself with its halves swapped gives
 * each head's score in both of its lanes. Every lane then does the scalar passes' operations in their order, so
 * the bits are the same. Only loaded when the JVM has {@code jdk.incubator.vector}.
 */
final class AttentionVector {
  /**
   * The machine's width, the species the loss and Adam use too: a constant, or the JIT cannot compile the
   * vector operations to SIMD (and a second species in the same JVM made the loss's vector code fall back to
   * its slow Java path: measured 3x slower steps).
   */
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int H = L / 2;
  private final int t;
  private final int d;
  /** Vectors per token and part: hd / 2 channel pairs. */
  private final int kv;
  private final int pairs;
  /** One sequence's q, k, v (in with one bulk copy), its z or dz, and its dq, dk, dv (out with one). */
  private final float[] in;
  private final float[] zs;
  private final float[] out;
  /** Per key j of the current query (backward): dp_ij, then ds_ij (one vector each). */
  private final float[] ds;
  /** A vector written twice in a row, so that a load from the middle reads it with its halves swapped. */
  private final float[] twice = new float[2 * L];

  private AttentionVector(int tokens, int heads, int headDim) {
    this.t = tokens;
    this.d = heads * headDim;
    this.kv = headDim / 2;
    this.pairs = tokens * (tokens + 1) / 2;
    this.in = new float[tokens * 3 * d];
    this.zs = new float[tokens * d];
    this.out = new float[tokens * 3 * d];
    this.ds = new float[tokens * L];
  }

  /** The passes for these shapes if a vector holds two channels of all heads (2H lanes), else null (scalar). */
  static AttentionVector forShapes(int tokens, int heads, int headDim) {
    return heads == H && headDim % 2 == 0 ? new AttentionVector(tokens, heads, headDim) : null;
  }

  static int lanes() {
    return L;
  }

  /** Index of channel pair k of part (0 q, 1 k, 2 v) of token i in one sequence's [T, 3, hd, H]. */
  private int at(int i, int part, int k) {
    return (i * 3 + part) * d + k * L;
  }

  // The vector code is written out in the loops, not in helper methods: a helper that the JIT compiles on its
  // own (it is hot) may then be too large to inline, and a vector returned from a call that is not inlined lives
  // on the heap (measured: several times slower with a one-line load helper). The one exception is the loss's
  // exp, which the JIT does inline here (checked: no allocation, the same time, no call in a step's profile).
  // Sums carried from one loop iteration to the next stay in vector locals (the dot products, maximum and sums),
  // in one method per query ({@link #forwardQuery}, {@link #backwardQuery}). Written inline in the loop over
  // sequences, JDK 17 boxed them in the backward (the phi loses the vector's exact class: 0.7-1.7 MB allocated a
  // call, slower than sums kept in small arrays). Per query, at batch 128: forward 0.13 -> 0.06 ms a call,
  // backward 0.09 -> 0.07, nothing allocated. The halves are swapped through memory because this JDK does not
  // compile the shuffle to SIMD. The loops keep the scalar passes' order.

  void forward(ByteBuffer qkvBytes, ByteBuffer zBytes, float[] p, int b, float scale) {
    FloatBuffer qkv = qkvBytes.asFloatBuffer();
    FloatBuffer z = zBytes.asFloatBuffer();
    for (int x = 0; x < b; x++) {
      qkv.get(x * t * 3 * d, in, 0, in.length);
      for (int i = 0; i < t; i++) {
        forwardQuery(i, (x * pairs + AttentionKernel.pair(i, 0)) * L, p, scale);
      }
      z.put(x * t * d, zs, 0, zs.length);
    }
  }

  /** The forward's part for query i of the current sequence (its pattern row at {@code base} in p). */
  private void forwardQuery(int i, int base, float[] p, float scale) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector one = FloatVector.broadcast(S, 1f);
    FloatVector lowest = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    // each head's even and odd channels' partial sums of q_i · k_j, the scores, their running maximum
    FloatVector max = lowest;
    for (int j = 0; j <= i; j++) {
      FloatVector a = zero;
      for (int k = 0; k < kv; k++) {
        a = a.add(FloatVector.fromArray(S, in, at(i, 0, k)).mul(FloatVector.fromArray(S, in, at(j, 1, k))));
      }
      a.intoArray(twice, 0);
      a.intoArray(twice, L);
      FloatVector sc = a.add(FloatVector.fromArray(S, twice, H)).mul(scale); // even + odd, in both halves
      sc.intoArray(p, base + j * L);
      max = max.max(sc);
    }
    FloatVector sum = zero;
    for (int j = 0; j <= i; j++) {
      FloatVector e = CrossEntropyVector.exp( // exp(score - max)
          FloatVector.fromArray(S, p, base + j * L).sub(max));
      e.intoArray(p, base + j * L);
      sum = sum.add(e);
    }
    FloatVector r = one.div(sum);
    for (int j = 0; j <= i; j++) {
      FloatVector.fromArray(S, p, base + j * L).mul(r).intoArray(p, base + j * L);
    }
    for (int k = 0; k < kv; k++) {
      FloatVector zk = zero;
      for (int j = 0; j <= i; j++) {
        zk = zk.add(FloatVector.fromArray(S, p, base + j * L).mul(FloatVector.fromArray(S, in, at(j, 2, k))));
      }
      zk.intoArray(zs, i * d + k * L);
    }
  }

  void backward(ByteBuffer qkvBytes, ByteBuffer dzBytes, ByteBuffer dqkvBytes, float[] p, int b, float scale) {
    FloatBuffer qkv = qkvBytes.asFloatBuffer();
    FloatBuffer dz = dzBytes.asFloatBuffer();
    FloatBuffer dqkv = dqkvBytes.asFloatBuffer();
    FloatVector zero = FloatVector.zero(S);
    for (int x = 0; x < b; x++) {
      qkv.get(x * t * 3 * d, in, 0, in.length);
      dz.get(x * t * d, zs, 0, zs.length);
      for (int l = 0; l < out.length; l += L) { // dk and dv add up over queries; dq is written whole
        zero.intoArray(out, l);
      }
      for (int i = 0; i < t; i++) {
        backwardQuery(i, (x * pairs + AttentionKernel.pair(i, 0)) * L, p, scale);
      }
      dqkv.put(x * t * 3 * d, out, 0, out.length);
    }
  }

  /** The backward's part for query i of the current sequence (its pattern row at {@code base} in p). */
  private void backwardQuery(int i, int base, float[] p, float scale) {
    FloatVector zero = FloatVector.zero(S);
    // dp_ij = dz_i · v_j (even + odd partial sums), kept in ds; r = Σ_j p_ij dp_ij
    FloatVector r = zero;
    for (int j = 0; j <= i; j++) {
      FloatVector a = zero;
      for (int k = 0; k < kv; k++) {
        a = a.add(FloatVector.fromArray(S, zs, i * d + k * L).mul(FloatVector.fromArray(S, in, at(j, 2, k))));
      }
      a.intoArray(twice, 0);
      a.intoArray(twice, L);
      FloatVector dp = a.add(FloatVector.fromArray(S, twice, H));
      dp.intoArray(ds, j * L);
      r = r.add(FloatVector.fromArray(S, p, base + j * L).mul(dp));
    }
    // dv_j += p_ij dz_i
    for (int k = 0; k < kv; k++) {
      FloatVector dzk = FloatVector.fromArray(S, zs, i * d + k * L);
      for (int j = 0; j <= i; j++) {
        FloatVector.fromArray(S, out, at(j, 2, k)).add(FloatVector.fromArray(S, p, base + j * L).mul(dzk))
            .intoArray(out, at(j, 2, k));
      }
    }
    // ds_ij = p_ij (dp_ij - r) · scale
    for (int j = 0; j <= i; j++) {
      FloatVector.fromArray(S, p, base + j * L).mul(FloatVector.fromArray(S, ds, j * L).sub(r)).mul(scale)
          .intoArray(ds, j * L);
    }
    // dq_i = Σ_j ds_ij k_j
    for (int k = 0; k < kv; k++) {
      FloatVector dq = zero;
      for (int j = 0; j <= i; j++) {
        dq = dq.add(FloatVector.fromArray(S, ds, j * L).mul(FloatVector.fromArray(S, in, at(j, 1, k))));
      }
      dq.intoArray(out, at(i, 0, k));
    }
    // dk_j += ds_ij q_i
    for (int k = 0; k < kv; k++) {
      FloatVector qk = FloatVector.fromArray(S, in, at(i, 0, k));
      for (int j = 0; j <= i; j++) {
        FloatVector.fromArray(S, out, at(j, 1, k)).add(FloatVector.fromArray(S, ds, j * L).mul(qk))
            .intoArray(out, at(j, 1, k));
      }
    }
  }
}
