package coopetition.transformer.model;

import java.nio.ByteBuffer;

/**
 * The query cross-entropy and its gradient at the logits in three Java passes over each row of
 * [rows x K] logits: the row's maximum; e = exp(x - max) (written to the gradient) and its sum; the
 * gradient scaled in place. libtorch's log-softmax, gather, their backward and the zero fill behind the
 * gather make about twice the passes and compute exp twice, and each step's fresh [rows x K] buffers
 * fault in new pages (bench/ab/Loop.java under perf; docs/PERFORMANCE.md).
 *
 * <p>Deterministic everywhere: the exponential is written out here from IEEE fused multiply-adds,
 * multiplies and adds (no library exp, whose last bit differs between the JIT's tiers and between CPUs;
 * {@code Math.fma} and the Vector API's fma round once, like the instruction), and the row sum goes
 * into {@link #PARTIALS} partial sums in a fixed order (element i into partial i mod 16, the partials
 * then added from first to last), whatever the machine's vector width. {@link CrossEntropyVector} does
 * the same operations with explicit SIMD and gives the same bits (tested).
 */
final class CrossEntropyKernel {
  /** Element i of a row adds into partial sum i mod 16. */
  static final int PARTIALS = 16;
  /** exp is clamped below here: e^-87 is about 1.6e-38, the smallest normal float's order. */
  static final float LOW = -87f;
  static final float LOG2E = 1.44269504088896341f;
  /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to an integer. */
  static final float ROUNDER = 12582912f;
  /**
   * The bits of ROUNDER: the bits of ROUNDER + n are ROUNDER_BITS + n for an integer |n| < 2^22, which gives
   * 2^n's exponent without a float-to-int conversion (the Vector API's conversion is not compiled to SIMD).
   */
  static final int ROUNDER_BITS = 0x4B400000;
  /** ln 2 split so that n * LN2_HI is exact for |n| < 2^15 (Cody and Waite). */
  static final float LN2_HI = 0.693359375f;
  static final float LN2_LO = -2.12194440e-4f;
  /** exp(r) = 1 + r + r^2 * P(r) on |r| <= ln2 / 2 (the Cephes single-precision coefficients). */
  static final float P0 = 1.9875691500e-4f;
  static final float P1 = 1.3981999507e-3f;
  static final float P2 = 8.3334519073e-3f;
  static final float P3 = 4.1665795894e-2f;
  static final float P4 = 1.6666665459e-1f;
  static final float P5 = 5.0000001201e-1f;
  /** Whether {@link CrossEntropyVector} can run: the JVM resolved the incubating module at start-up. */
  static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private CrossEntropyKernel() {}

  /**
   * Σ over rows of the cross-entropy -log softmax(x)[target] (a float sum from the first row to the last);
   * writes {@code scale · (softmax(x) - onehot(target))} into {@code grad}. Both buffers hold rows x k floats in
   * native order.
   */
  static float lossAndGradient(ByteBuffer logits, ByteBuffer grad, int rows, int k, int[] targets, float scale) {
    return lossAndGradient(logits, null, grad, null, rows, k, targets, scale);
  }

  /**
   * As above for logits x = {@code logits} + {@code bias} (the unembedding's bias, k floats, added here so that
   * libtorch's matmul does not have to copy it into every row first), and adds each row's gradient into
   * {@code biasGrad} (rows in order). {@code logits} is left as it was, without the bias. Both bias
   * arguments may be null (no bias).
   */
  static float lossAndGradient(ByteBuffer logits, ByteBuffer bias, ByteBuffer grad, float[] biasGrad, int rows, int k,
      int[] targets, float scale) {
    if (VECTOR) {
      return CrossEntropyVector.lossAndGradient(logits, bias, grad, biasGrad, rows, k, targets, scale);
    }
    return lossAndGradientScalar(logits, bias, grad, biasGrad, rows, k, targets, scale);
  }

  /** {@link #lossAndGradient} one element at a time (the JVM without the Vector API; tests compare the two). */
  static float lossAndGradientScalar(ByteBuffer logits, ByteBuffer bias, ByteBuffer grad, float[] biasGrad, int rows,
      int k, int[] targets, float scale) {
    float total = 0;
    float[] partial = new float[PARTIALS];
    for (int row = 0; row < rows; row++) {
      int base = 4 * row * k;
      float max = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < k; i++) {
        max = Math.max(max, logit(logits, bias, base, i));
      }
      java.util.Arrays.fill(partial, 0f);
      for (int i = 0; i < k; i++) {
        float e = exp(logit(logits, bias, base, i) - max);
        grad.putFloat(base + 4 * i, e);
        partial[i % PARTIALS] += e;
      }
      float sum = fold(partial);
      float r = scale / sum;
      for (int i = 0; i < k; i++) {
        grad.putFloat(base + 4 * i, grad.getFloat(base + 4 * i) * r);
      }
      total += finishRow(logits, bias, grad, base, targets[row], max, sum, scale);
      if (biasGrad != null) {
        for (int i = 0; i < k; i++) {
          biasGrad[i] = biasGrad[i] + grad.getFloat(base + 4 * i);
        }
      }
    }
    return total;
  }

  /** Logit i of the row at byte {@code base}, plus the bias if there is one. */
  static float logit(ByteBuffer logits, ByteBuffer bias, int base, int i) {
    float x = logits.getFloat(base + 4 * i);
    return bias == null ? x : x + bias.getFloat(4 * i);
  }

  /** The row's loss; subtracts {@code scale} from the target's gradient. */
  static float finishRow(ByteBuffer logits, ByteBuffer bias, ByteBuffer grad, int base, int target, float max,
      float sum, float scale) {
    int at = base + 4 * target;
    grad.putFloat(at, grad.getFloat(at) - scale);
    return rowLoss(logits, bias, base, target, max, sum);
  }

  /** The row's loss -log softmax(x)[target] = log(sum) - (x[target] - max). */
  static float rowLoss(ByteBuffer logits, ByteBuffer bias, int base, int target, float max, float sum) {
    return (float) Math.log(sum) - (logit(logits, bias, base, target) - max);
  }

  /** The partial sums added from the first to the last. */
  static float fold(float[] partial) {
    float s = 0;
    for (float p : partial) {
      s += p;
    }
    return s;
  }

  /**
   * e^x for x <= 0 within 1 ulp (x below {@link #LOW} counts as LOW): x = n·ln2 + r with n an
   * integer and |r| <= ln2/2, e^r from a degree-7 polynomial, times 2^n built from the exponent bits. Fused
   * multiply-adds where the formula has a product plus a term (9 fewer operations a value than multiply then
   * add: the loss's exp pass and the attention core's softmax are compute-bound).
   */
  static float exp(float x) {
    float c = Math.max(x, LOW);
    float t = Math.fma(c, LOG2E, ROUNDER);
    float n = t - ROUNDER;
    float r = Math.fma(n, -LN2_HI, c);
    r = Math.fma(n, -LN2_LO, r);
    float p = Math.fma(P0, r, P1);
    p = Math.fma(p, r, P2);
    p = Math.fma(p, r, P3);
    p = Math.fma(p, r, P4);
    p = Math.fma(p, r, P5);
    float er = Math.fma(p, r * r, r) + 1f;
    return er * Float.intBitsToFloat((Float.floatToRawIntBits(t) - (ROUNDER_BITS - 127)) << 23);
  }

}
