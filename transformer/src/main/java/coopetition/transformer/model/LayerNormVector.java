package coopetition.transformer.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TapeFreeStep#layerNormBackward}'s row with explicit SIMD (the JIT left the scalar loops scalar: about 5 ns
 * an element). Sums run lane by lane and then over the lanes in order, so the result is fixed for a machine's
 * vector width. Only loaded when the JVM has {@code jdk.incubator.vector}; rows whose width the vector does not
 * divide take the scalar path.
 */
final class LayerNormVector {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private LayerNormVector() {}

  static boolean fits(int d) {
    return d % L == 0;
  }

  /**
   * One row at offset o of xs (input) and gs (output gradient): out[o..o+d) += the input's gradient; dGamma and
   * dBeta += this row's parts. xh and lanes are scratch arrays of d and L floats.
   */
  static void backwardRow(float[] xs, float[] gs, float[] gamma, float[] out, int o, int d, float[] dGamma,
      float[] dBeta, float[] xh, float[] gh, float[] lanes, float eps) {
    FloatVector acc = FloatVector.zero(S);
    for (int j = 0; j < d; j += L) {
      acc = acc.add(FloatVector.fromArray(S, xs, o + j));
    }
    float mean = fold(acc, lanes) / d;
    FloatVector m = FloatVector.broadcast(S, mean);
    acc = FloatVector.zero(S);
    for (int j = 0; j < d; j += L) {
      FloatVector e = FloatVector.fromArray(S, xs, o + j).sub(m);
      acc = acc.add(e.mul(e));
    }
    float rstd = (float) (1 / Math.sqrt(fold(acc, lanes) / d + eps));
    FloatVector sumG = FloatVector.zero(S);
    FloatVector sumGx = FloatVector.zero(S);
    for (int j = 0; j < d; j += L) {
      FloatVector g = FloatVector.fromArray(S, gs, o + j);
      FloatVector x = FloatVector.fromArray(S, xs, o + j).sub(m).mul(rstd);
      FloatVector h = g.mul(FloatVector.fromArray(S, gamma, j));
      x.intoArray(xh, j);
      h.intoArray(gh, j);
      FloatVector.fromArray(S, dGamma, j).add(g.mul(x)).intoArray(dGamma, j);
      FloatVector.fromArray(S, dBeta, j).add(g).intoArray(dBeta, j);
      sumG = sumG.add(h);
      sumGx = sumGx.add(h.mul(x));
    }
    float sg = fold(sumG, lanes);
    float sgx = fold(sumGx, lanes);
    float scale = rstd / d;
    for (int j = 0; j < d; j += L) {
      FloatVector h = FloatVector.fromArray(S, gh, j);
      FloatVector x = FloatVector.fromArray(S, xh, j);
      FloatVector v = h.mul((float) d).sub(sg).sub(x.mul(sgx)).mul(scale);
      FloatVector.fromArray(S, out, o + j).add(v).intoArray(out, o + j);
    }
  }

  /** The lanes of v added in order (a fixed order on a given vector width). */
  private static float fold(FloatVector v, float[] lanes) {
    v.intoArray(lanes, 0);
    float s = 0;
    for (int i = 0; i < L; i++) {
      s += lanes[i];
    }
    return s;
  }
}
