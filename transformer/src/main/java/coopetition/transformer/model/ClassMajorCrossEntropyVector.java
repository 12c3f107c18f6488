package coopetition.transformer.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ClassMajorCrossEntropy} with explicit SIMD: a vector holds L neighbouring queries of a class row, so each
 * query's maximum and sums are lane-wise and need no reduction across lanes, and a pass walks the rows in
 * memory order. The queries' running state (maxima, sums, factors) lives in small Java arrays. Per chunk of
 * classes: the chunk's maxima; the running maxima and sums; the exponentials, written over the chunk while it is
 * in cache. Then per chunk the gradient, with the bias's partial sums taken along the row. The queries after the
 * last multiple of 16 go through the scalar column. Each pass is a small method of its own: in one method
 * together they passed the JIT's inlining limit and their vectors were boxed.
 */
final class ClassMajorCrossEntropyVector {
  private static final VectorSpecies<Float> S = CrossEntropyVector.SPECIES;
  private static final int L = S.length();
  /** Vectors per 16 queries (1, 2 or 4): one accumulator each for the bias's partial sums. */
  private static final int G = ClassMajorCrossEntropy.PARTIALS / L;
  private static final ByteOrder ORDER = ByteOrder.nativeOrder();

  private ClassMajorCrossEntropyVector() {}

  static float lossAndGradient(ByteBuffer logits, ByteBuffer bias, ByteBuffer gradient, float[] biasGrad, int b, int k,
      int[] targets, float scale, ClassMajorCrossEntropy.Workspace work) {
    float[] biasRow = ClassMajorCrossEntropy.biasRow(bias, k);
    float[] partials = work.partials(k);
    int chunks = ClassMajorCrossEntropy.chunks(k);
    int vb = b - b % ClassMajorCrossEntropy.PARTIALS; // the queries in vectors
    float[] max = work.runningMax(b);
    float[] chunkMax = work.chunkMax(b);
    float[] even = work.evenSums(b);
    float[] odd = work.oddSums(b);
    float[] factor = work.factors(b);
    float[] chunkMaxima = work.chunkMaxima(Math.max(chunks * vb, chunks));
    float[] targetX = new float[vb];
    for (int q = 0; q < vb; q++) { // before an in-place gradient overwrites them
      targetX[q] = ClassMajorCrossEntropy.x(logits, biasRow, b, targets[q], q);
    }
    java.util.Arrays.fill(max, 0, vb, Float.NEGATIVE_INFINITY);
    java.util.Arrays.fill(even, 0, vb, 0f);
    java.util.Arrays.fill(odd, 0, vb, 0f);
    for (int j = 0, c0 = 0; c0 < k; j++, c0 += ClassMajorCrossEntropy.CHUNK) {
      int c1 = Math.min(k, c0 + ClassMajorCrossEntropy.CHUNK);
      chunkMaxima(logits, biasRow, chunkMax, b, vb, c0, c1);
      rescale(max, chunkMax, even, odd, chunkMaxima, j * vb, vb);
      exponentials(logits, gradient, biasRow, max, even, odd, b, vb, c0, c1);
    }
    float total = 0;
    for (int q = 0; q < vb; q++) {
      float sum = even[q] + odd[q];
      factor[q] = scale / sum;
      total += ClassMajorCrossEntropy.loss(sum, targetX[q], max[q]);
    }
    for (int j = 0, c0 = 0; c0 < k; j++, c0 += ClassMajorCrossEntropy.CHUNK) {
      chunkFactors(chunkMaxima, j * vb, max, factor, chunkMax, vb); // chunkMax now holds the chunk's factors
      gradients(gradient, chunkMax, partials, b, vb, c0, Math.min(k, c0 + ClassMajorCrossEntropy.CHUNK));
    }
    for (int q = 0; q < vb; q++) {
      int at = 4 * (targets[q] * b + q);
      gradient.putFloat(at, gradient.getFloat(at) - scale);
    }
    for (int q = vb; q < b; q++) {
      total += ClassMajorCrossEntropy.column(logits, biasRow, gradient, partials, chunkMaxima, b, k, q, targets[q],
          scale);
    }
    ClassMajorCrossEntropy.finishBias(partials, biasGrad, k, targets, b, scale);
    return total;
  }

  /** Each query's maximum of x over classes c0..c1 (x > m ? x : m, lane by lane). */
  private static void chunkMaxima(ByteBuffer logits, float[] biasRow, float[] m, int b, int vb, int c0, int c1) {
    java.util.Arrays.fill(m, 0, vb, Float.NEGATIVE_INFINITY);
    for (int c = c0; c < c1; c++) {
      float bc = biasRow[c];
      int row = 4 * c * b;
      for (int q = 0; q < vb; q += L) {
        FloatVector x = FloatVector.fromByteBuffer(S, logits, row + 4 * q, ORDER).add(bc);
        FloatVector mq = FloatVector.fromArray(S, m, q);
        mq.blend(x, x.compare(VectorOperators.GT, mq)).intoArray(m, q);
      }
    }
  }

  /** The running maxima take the chunk's, the sums are scaled by exp(old - new); the new maxima kept at {@code at}. */
  private static void rescale(float[] max, float[] chunkMax, float[] even, float[] odd, float[] kept, int at, int vb) {
    for (int q = 0; q < vb; q += L) {
      FloatVector old = FloatVector.fromArray(S, max, q);
      FloatVector m = FloatVector.fromArray(S, chunkMax, q);
      FloatVector next = old.blend(m, m.compare(VectorOperators.GT, old));
      FloatVector f = CrossEntropyVector.exp(old.sub(next));
      FloatVector.fromArray(S, even, q).mul(f).intoArray(even, q);
      FloatVector.fromArray(S, odd, q).mul(f).intoArray(odd, q);
      next.intoArray(max, q);
      next.intoArray(kept, at + q);
    }
  }

  /** e = exp(x - max) of classes c0..c1 into the gradient, into the even and odd classes' sums. */
  private static void exponentials(ByteBuffer logits, ByteBuffer gradient, float[] biasRow, float[] max,
      float[] even, float[] odd, int b, int vb, int c0, int c1) {
    int c = c0; // even: chunks start at multiples of 64
    for (; c + 2 <= c1; c += 2) { // two exponentials a trip: a third passed the JIT's inlining limit
      float b0 = biasRow[c];
      float b1 = biasRow[c + 1];
      int row0 = 4 * c * b;
      int row1 = 4 * (c + 1) * b;
      for (int q = 0; q < vb; q += L) {
        FloatVector m = FloatVector.fromArray(S, max, q);
        FloatVector e0 = CrossEntropyVector.exp(FloatVector.fromByteBuffer(S, logits, row0 + 4 * q, ORDER).add(b0)
            .sub(m));
        e0.intoByteBuffer(gradient, row0 + 4 * q, ORDER);
        FloatVector.fromArray(S, even, q).add(e0).intoArray(even, q);
        FloatVector e1 = CrossEntropyVector.exp(FloatVector.fromByteBuffer(S, logits, row1 + 4 * q, ORDER).add(b1)
            .sub(m));
        e1.intoByteBuffer(gradient, row1 + 4 * q, ORDER);
        FloatVector.fromArray(S, odd, q).add(e1).intoArray(odd, q);
      }
    }
    if (c < c1) {
      lastExponentials(logits, gradient, biasRow[c], max, even, b, vb, c);
    }
  }

  /** An odd K's last class, even-numbered (a call of its own, so that the loop above keeps its two inlined). */
  private static void lastExponentials(ByteBuffer logits, ByteBuffer gradient, float bc, float[] max, float[] even,
      int b, int vb, int c) {
    int row = 4 * c * b;
    for (int q = 0; q < vb; q += L) {
      FloatVector e = CrossEntropyVector.exp(FloatVector.fromByteBuffer(S, logits, row + 4 * q, ORDER).add(bc)
          .sub(FloatVector.fromArray(S, max, q)));
      e.intoByteBuffer(gradient, row + 4 * q, ORDER);
      FloatVector.fromArray(S, even, q).add(e).intoArray(even, q);
    }
  }

  /** A chunk's factors exp(chunk max - final max) · scale / sum, into {@code out}. */
  private static void chunkFactors(float[] kept, int at, float[] max, float[] r, float[] out, int vb) {
    for (int q = 0; q < vb; q += L) {
      FloatVector d = FloatVector.fromArray(S, kept, at + q).sub(FloatVector.fromArray(S, max, q));
      CrossEntropyVector.exp(d).mul(FloatVector.fromArray(S, r, q)).intoArray(out, q);
    }
  }

  /** The gradient e · factor of classes c0..c1, written back; each row's sum into its 16 partial sums. */
  private static void gradients(ByteBuffer gradient, float[] factor, float[] partials, int b, int vb, int c0,
      int c1) {
    for (int c = c0; c < c1; c++) {
      int row = 4 * c * b;
      // G is 1, 2 or 4 and final: the JIT drops the unused accumulators
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int q = 0; q < vb; q += ClassMajorCrossEntropy.PARTIALS) {
        a0 = a0.add(scaleInto(gradient, factor, row, q));
        if (G > 1) {
          a1 = a1.add(scaleInto(gradient, factor, row, q + L));
        }
        if (G > 2) {
          a2 = a2.add(scaleInto(gradient, factor, row, q + 2 * L));
          a3 = a3.add(scaleInto(gradient, factor, row, q + 3 * L));
        }
      }
      int p = c * ClassMajorCrossEntropy.PARTIALS;
      a0.intoArray(partials, p);
      if (G > 1) {
        a1.intoArray(partials, p + L);
      }
      if (G > 2) {
        a2.intoArray(partials, p + 2 * L);
        a3.intoArray(partials, p + 3 * L);
      }
    }
  }

  /** e · factor of the vector at query q of the row at byte {@code row}, written back and returned. */
  private static FloatVector scaleInto(ByteBuffer gradient, float[] factor, int row, int q) {
    FloatVector g = FloatVector.fromByteBuffer(S, gradient, row + 4 * q, ORDER).mul(FloatVector.fromArray(S, factor, q));
    g.intoByteBuffer(gradient, row + 4 * q, ORDER);
    return g;
  }
}
