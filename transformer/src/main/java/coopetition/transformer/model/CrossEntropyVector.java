package coopetition.transformer.model;

import static coopetition.transformer.model.CrossEntropyKernel.LN2_HI;
import static coopetition.transformer.model.CrossEntropyKernel.LN2_LO;
import static coopetition.transformer.model.CrossEntropyKernel.LOG2E;
import static coopetition.transformer.model.CrossEntropyKernel.LOW;
import static coopetition.transformer.model.CrossEntropyKernel.P0;
import static coopetition.transformer.model.CrossEntropyKernel.P1;
import static coopetition.transformer.model.CrossEntropyKernel.P2;
import static coopetition.transformer.model.CrossEntropyKernel.P3;
import static coopetition.transformer.model.CrossEntropyKernel.P4;
import static coopetition.transformer.model.CrossEntropyKernel.P5;
import static coopetition.transformer.model.CrossEntropyKernel.PARTIALS;
import static coopetition.transformer.model.CrossEntropyKernel.ROUNDER;
import static coopetition.transformer.model.CrossEntropyKernel.ROUNDER_BITS;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CrossEntropyKernel}'s passes with explicit SIMD on libtorch's storage: the same float operations
 * in the same order for every element (the scalar exp's fused multiply-adds fused here too, every other
 * multiply and add apart), and the row sum in the same 16
 * partial sums, so the bits equal the scalar passes on any vector width. Only loaded when the JVM has
 * {@code jdk.incubator.vector}.
 */
final class CrossEntropyVector {
  /** The machine's width when it divides 16 (4, 8 or 16 floats), else 4. */
  static final VectorSpecies<Float> SPECIES = PARTIALS % FloatVector.SPECIES_PREFERRED.length() == 0
      ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_128;
  private static final VectorSpecies<Float> S = SPECIES;
  private static final int L = S.length();
  /** Vectors per block of {@link CrossEntropyKernel#PARTIALS} elements: 1, 2 or 4. */
  private static final int G = PARTIALS / L;
  private static final ByteOrder ORDER = ByteOrder.nativeOrder();

  private CrossEntropyVector() {}

  static float lossAndGradient(ByteBuffer logits, ByteBuffer bias, ByteBuffer grad, float[] biasGrad, int rows, int k,
      int[] targets, float scale) {
    float total = 0;
    float[] partial = new float[PARTIALS];
    int blocks = k - k % PARTIALS;
    boolean biased = bias != null;
    for (int row = 0; row < rows; row++) {
      int base = 4 * row * k;
      FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      if (biased) { // x = logit + bias kept in the gradient's row, so that the exp pass reads one array, not two
        for (int i = 0; i < blocks; i += L) {
          FloatVector x = FloatVector.fromByteBuffer(S, logits, base + 4 * i, ORDER)
              .add(FloatVector.fromByteBuffer(S, bias, 4 * i, ORDER));
          x.intoByteBuffer(grad, base + 4 * i, ORDER);
          mv = mv.max(x);
        }
      } else {
        for (int i = 0; i < blocks; i += L) {
          mv = mv.max(FloatVector.fromByteBuffer(S, logits, base + 4 * i, ORDER));
        }
      }
      float max = mv.reduceLanes(VectorOperators.MAX); // exact in any order
      for (int i = blocks; i < k; i++) {
        max = Math.max(max, CrossEntropyKernel.logit(logits, bias, base, i));
      }
      // G is 1, 2 or 4 and final: the JIT drops the unused accumulators (locals, not an array, so that
      // the vectors stay in registers)
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      ByteBuffer source = biased ? grad : logits; // with the bias: x as the max pass left it, in place
      for (int i = 0; i < blocks; i += PARTIALS) {
        int at = base + 4 * i;
        a0 = a0.add(expInto(source, grad, at, max));
        if (G > 1) {
          a1 = a1.add(expInto(source, grad, at + 4 * L, max));
        }
        if (G > 2) {
          a2 = a2.add(expInto(source, grad, at + 8 * L, max));
          a3 = a3.add(expInto(source, grad, at + 12 * L, max));
        }
      }
      a0.intoArray(partial, 0);
      if (G > 1) {
        a1.intoArray(partial, L);
      }
      if (G > 2) {
        a2.intoArray(partial, 2 * L);
        a3.intoArray(partial, 3 * L);
      }
      for (int i = blocks; i < k; i++) {
        float e = CrossEntropyKernel.exp(CrossEntropyKernel.logit(logits, bias, base, i) - max);
        grad.putFloat(base + 4 * i, e);
        partial[i % PARTIALS] += e;
      }
      float sum = CrossEntropyKernel.fold(partial);
      float r = scale / sum;
      int i = 0;
      int target = targets[row];
      if (biasGrad != null) {
        // the scaled gradient, its -scale at the target and the bias's sum in one pass over the row: the bits
        // of a scaling pass, finishRow and a summing pass one after the other
        int targetVector = target - target % L;
        for (; i <= k - L; i += L) {
          int at = base + 4 * i;
          if (i == targetVector) {
            for (int j = i; j < i + L; j++) {
              biasGrad[j] = biasGrad[j] + scaleOne(grad, base, j, r, j == target ? scale : 0f);
            }
            continue;
          }
          FloatVector g = FloatVector.fromByteBuffer(S, grad, at, ORDER).mul(r);
          g.intoByteBuffer(grad, at, ORDER);
          FloatVector.fromArray(S, biasGrad, i).add(g).intoArray(biasGrad, i);
        }
        for (; i < k; i++) {
          biasGrad[i] = biasGrad[i] + scaleOne(grad, base, i, r, i == target ? scale : 0f);
        }
        total += CrossEntropyKernel.rowLoss(logits, bias, base, target, max, sum);
      } else {
        for (; i <= k - L; i += L) {
          int at = base + 4 * i;
          FloatVector.fromByteBuffer(S, grad, at, ORDER).mul(r).intoByteBuffer(grad, at, ORDER);
        }
        for (; i < k; i++) {
          grad.putFloat(base + 4 * i, grad.getFloat(base + 4 * i) * r);
        }
        total += CrossEntropyKernel.finishRow(logits, bias, grad, base, target, max, sum, scale);
      }
    }
    return total;
  }

  /** Gradient element i scaled by r, minus {@code minus} (the target's scale, else 0), written back and returned. */
  private static float scaleOne(ByteBuffer grad, int base, int i, float r, float minus) {
    float g = grad.getFloat(base + 4 * i) * r;
    if (minus != 0f) {
      g = g - minus;
    }
    grad.putFloat(base + 4 * i, g);
    return g;
  }

  /** exp(x - max) of the vector of {@code x} at byte {@code at}, written to {@code grad} there (x may be grad). */
  private static FloatVector expInto(ByteBuffer x, ByteBuffer grad, int at, float max) {
    FloatVector e = exp(FloatVector.fromByteBuffer(S, x, at, ORDER).sub(max));
    e.intoByteBuffer(grad, at, ORDER);
    return e;
  }

  /** {@link CrossEntropyKernel#exp} lane by lane (also the attention core's softmax). */
  static FloatVector exp(FloatVector x) {
    FloatVector c = x.max(LOW);
    FloatVector t = c.fma(LOG2E, ROUNDER);
    FloatVector n = t.sub(ROUNDER);
    FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), c);
    r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
    FloatVector p = FloatVector.broadcast(S, P0).fma(r, FloatVector.broadcast(S, P1));
    p = p.fma(r, FloatVector.broadcast(S, P2));
    p = p.fma(r, FloatVector.broadcast(S, P3));
    p = p.fma(r, FloatVector.broadcast(S, P4));
    p = p.fma(r, FloatVector.broadcast(S, P5));
    FloatVector er = p.fma(r.mul(r), r).add(1f);
    IntVector bits = ((IntVector) t.reinterpretAsInts()).sub(ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23);
    return er.mul(bits.reinterpretAsFloats());
  }

}
