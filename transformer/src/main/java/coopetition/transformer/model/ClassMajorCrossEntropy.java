package coopetition.transformer.model;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The query cross-entropy on class-major logits: [K, b], a row per class and a column per query, as
 * {@code W · h^T} leaves them. In this layout all three of the unembedding's matrix products are the fast
 * ones: the gradient's {@code G^T · h} on row-major logits ran at about 140 GFLOP/s against 195-210 for every
 * other form, about 0.24 ms of a 5 ms batch-128 step (docs/PERFORMANCE.md).
 *
 * <p>Each query's column, in chunks of {@link #CHUNK} classes (an online softmax, so that the exponentials are
 * taken while the chunk is still in cache): x = logit + bias; the chunk's maximum m; the running maximum M =
 * max(M, m), the running sums scaled by exp(M_old - M); e = exp(x - M) for the chunk's classes, added into two
 * running sums (even classes, odd classes), which are added at the end. Then each chunk's gradient is
 * {@code e · (exp(M_chunk - M_final) · scale / sum)}, minus {@code scale} at the target. The bias's gradient:
 * each class sums the gradient without the target's {@code -scale} over queries in 16 partial sums (query q into
 * partial q mod 16, in query order), adds the partials from first to last, and then subtracts {@code scale}
 * once per query whose target it is, in query order. {@link CrossEntropyKernel#exp} is the exponential and
 * {@code x > m ? x : m} the maximum.
 *
 * <p>{@link ClassMajorCrossEntropyVector} computes the queries 16 at a time (a query a lane, along the class
 * rows) with the same operations in the same order, so the bits are the same on any vector width (tested).
 */
final class ClassMajorCrossEntropy {
  /** Classes a chunk: 64 rows of up to 512 queries are 128 KB, within L2. */
  static final int CHUNK = 64;
  /** Query q's share of the bias's gradient goes into partial q mod 16 of its class. */
  static final int PARTIALS = 16;

  private ClassMajorCrossEntropy() {}

  /**
   * Work arrays kept from call to call by their owner (allocated, and so zeroed, at every call they cost a
   * memset and young collections).
   */
  static final class Workspace {
    private float[] partials = new float[0];
    private float[] chunkMaxima = new float[0];
    private float[] runningMax = new float[0];
    private float[] chunkMax = new float[0];
    private float[] evenSums = new float[0];
    private float[] oddSums = new float[0];
    private float[] factors = new float[0];

    /** The bias's partial sums for K classes, zeroed. */
    float[] partials(int k) {
      if (partials.length < k * PARTIALS) {
        partials = new float[k * PARTIALS];
      } else {
        Arrays.fill(partials, 0, k * PARTIALS, 0f);
      }
      return partials;
    }

    /** At least n floats for the chunks' running maxima (a float per chunk and query), contents undefined. */
    float[] chunkMaxima(int n) {
      return chunkMaxima = atLeast(chunkMaxima, n);
    }

    /** Each query's running maximum (b floats at least, contents undefined; so are the four below). */
    float[] runningMax(int b) {
      return runningMax = atLeast(runningMax, b);
    }

    /** Each query's maximum within the current chunk; later the current chunk's factors. */
    float[] chunkMax(int b) {
      return chunkMax = atLeast(chunkMax, b);
    }

    /** Each query's sum of the even classes' exponentials. */
    float[] evenSums(int b) {
      return evenSums = atLeast(evenSums, b);
    }

    /** Each query's sum of the odd classes' exponentials. */
    float[] oddSums(int b) {
      return oddSums = atLeast(oddSums, b);
    }

    /** Each query's scale / sum. */
    float[] factors(int b) {
      return factors = atLeast(factors, b);
    }

    private static float[] atLeast(float[] a, int n) {
      return a.length < n ? new float[n] : a;
    }
  }

  /**
   * Σ over queries of -log softmax(logits[:, q] + bias)[target q] (a float sum in query order); writes
   * {@code scale · (softmax - onehot(target))} into {@code gradient} ([k, b] too) and adds the bias's gradient
   * into {@code biasGrad} (when not null). Buffers hold floats in native order. {@code gradient} may be
   * {@code logits} itself (then the gradient replaces them); else the logits are left as they were.
   */
  static float lossAndGradient(ByteBuffer logits, ByteBuffer bias, ByteBuffer gradient, float[] biasGrad, int b,
      int k, int[] targets, float scale, Workspace work) {
    if (CrossEntropyKernel.VECTOR) {
      return ClassMajorCrossEntropyVector.lossAndGradient(logits, bias, gradient, biasGrad, b, k, targets, scale, work);
    }
    return lossAndGradientScalar(logits, bias, gradient, biasGrad, b, k, targets, scale, work);
  }

  /** {@link #lossAndGradient} a query at a time (the JVM without the Vector API; tests compare the two). */
  static float lossAndGradientScalar(ByteBuffer logits, ByteBuffer bias, ByteBuffer gradient, float[] biasGrad,
      int b, int k, int[] targets, float scale, Workspace work) {
    float[] biasRow = biasRow(bias, k);
    float[] partials = work.partials(k);
    float[] chunkMaxima = work.chunkMaxima(chunks(k));
    float total = 0;
    for (int q = 0; q < b; q++) {
      total += column(logits, biasRow, gradient, partials, chunkMaxima, b, k, q, targets[q], scale);
    }
    finishBias(partials, biasGrad, k, targets, b, scale);
    return total;
  }

  /** The number of chunks of K classes. */
  static int chunks(int k) {
    return (k + CHUNK - 1) / CHUNK;
  }

  /**
   * Query q's column: its gradient written, its share of the bias's partial sums added; returns its loss.
   * {@code chunkMaxima} is scratch for one float a chunk.
   */
  static float column(ByteBuffer logits, float[] biasRow, ByteBuffer gradient, float[] partials,
      float[] chunkMaxima, int b, int k, int q, int target, float scale) {
    float targetX = x(logits, biasRow, b, target, q); // before an in-place gradient overwrites it
    float max = Float.NEGATIVE_INFINITY;
    float even = 0;
    float odd = 0;
    for (int j = 0, c0 = 0; c0 < k; j++, c0 += CHUNK) {
      int c1 = Math.min(k, c0 + CHUNK);
      float m = Float.NEGATIVE_INFINITY;
      for (int c = c0; c < c1; c++) {
        float x = x(logits, biasRow, b, c, q);
        m = x > m ? x : m;
      }
      float next = m > max ? m : max;
      float f = CrossEntropyKernel.exp(max - next);
      even = even * f;
      odd = odd * f;
      max = next;
      chunkMaxima[j] = next;
      for (int c = c0; c < c1; c++) {
        float e = CrossEntropyKernel.exp(x(logits, biasRow, b, c, q) - next);
        gradient.putFloat(4 * (c * b + q), e);
        if (c % 2 == 0) {
          even = even + e;
        } else {
          odd = odd + e;
        }
      }
    }
    float sum = even + odd;
    float r = scale / sum;
    int lane = q % PARTIALS;
    for (int j = 0, c0 = 0; c0 < k; j++, c0 += CHUNK) {
      int c1 = Math.min(k, c0 + CHUNK);
      float f = CrossEntropyKernel.exp(chunkMaxima[j] - max) * r;
      for (int c = c0; c < c1; c++) {
        float g = gradient.getFloat(4 * (c * b + q)) * f;
        gradient.putFloat(4 * (c * b + q), c == target ? g - scale : g);
        partials[c * PARTIALS + lane] = partials[c * PARTIALS + lane] + g;
      }
    }
    return loss(sum, targetX, max);
  }

  /** x = logit + bias of class c and query q. */
  static float x(ByteBuffer logits, float[] biasRow, int b, int c, int q) {
    return logits.getFloat(4 * (c * b + q)) + biasRow[c];
  }

  /** A query's loss -log softmax[target] = log(sum) - (x[target] - max). */
  static float loss(float sum, float targetX, float max) {
    return (float) Math.log(sum) - (targetX - max);
  }

  /** The bias as a Java array (zeros without one). */
  static float[] biasRow(ByteBuffer bias, int k) {
    float[] row = new float[k];
    if (bias != null) {
      bias.asFloatBuffer().get(0, row);
    }
    return row;
  }

  /**
   * Adds each class's 16 partial sums, first to last, into {@code biasGrad}, then subtracts {@code scale} at
   * each query's target in query order (nothing without a bias gradient).
   */
  static void finishBias(float[] partials, float[] biasGrad, int k, int[] targets, int b, float scale) {
    if (biasGrad == null) {
      return;
    }
    for (int c = 0; c < k; c++) {
      float s = 0;
      for (int j = 0; j < PARTIALS; j++) {
        s += partials[c * PARTIALS + j];
      }
      biasGrad[c] = biasGrad[c] + s;
    }
    for (int q = 0; q < b; q++) {
      biasGrad[targets[q]] = biasGrad[targets[q]] - scale;
    }
  }
}
