package coopetition.transformer.model;

import static coopetition.transformer.model.LossFixtures.floats;
import static coopetition.transformer.model.LossFixtures.targets;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The loss on class-major logits ({@code kernels=java}'s hand-written step): loss, gradient and the bias's
 * gradient against a double-precision softmax over each column, and the SIMD passes against the scalar columns
 * bit for bit, with queries after the last whole vector and an odd number of classes.
 */
class ClassMajorCrossEntropyTest {

  @ParameterizedTest(name = "{0} queries x {1} classes, logits x{2}")
  @CsvSource({"1, 1, 1", "3, 17, 1", "16, 64, 10", "19, 6144, 3", "40, 1001, 40"})
  void lossAndGradientsAreTheSoftmaxOnesOfEachColumn(int b, int k, double spread) {
    Random r = new Random(b * 31L + k);
    float[] x = gaussian(r, k * b, spread);
    float[] bias = gaussian(r, k, 2);
    int[] t = targets(r, b, k);
    int batch = b + 3;
    ByteBuffer in = floats(x);
    ByteBuffer g = floats(new float[x.length]);
    float[] biasGrad = new float[k];
    biasGrad[0] = 0.25f; // the kernel adds into it
    float loss = ClassMajorCrossEntropy.lossAndGradient(in, floats(bias), g, biasGrad, b, k, t, 1f / batch,
        new ClassMajorCrossEntropy.Workspace());
    double wantLoss = 0;
    double[] wantBias = new double[k];
    wantBias[0] = 0.25;
    for (int q = 0; q < b; q++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        max = Math.max(max, x[c * b + q] + bias[c]);
      }
      double sum = 0;
      for (int c = 0; c < k; c++) {
        sum += Math.exp(x[c * b + q] + bias[c] - max);
      }
      wantLoss += Math.log(sum) - (x[t[q] * b + q] + bias[t[q]] - max);
      double columnSum = 0;
      for (int c = 0; c < k; c++) {
        double want = (Math.exp(x[c * b + q] + bias[c] - max) / sum - (c == t[q] ? 1 : 0)) / batch;
        float got = g.getFloat(4 * (c * b + q));
        assertEquals(want, got, 1e-6 / batch + 1e-5 * Math.abs(want), "gradient [" + c + ", " + q + "]");
        columnSum += got;
        wantBias[c] += want;
      }
      assertEquals(0, columnSum, 1e-5, "a softmax gradient column sums to 0");
    }
    assertEquals(wantLoss, loss, 1e-5 * (1 + wantLoss));
    for (int c = 0; c < k; c++) {
      assertEquals(wantBias[c], biasGrad[c], 1e-5, "bias gradient " + c);
    }
    assertEquals(x[0], in.getFloat(0), "the logits are left alone");
  }

  /** The surefire JVM has the Vector API: its passes and the scalar columns give the same bits. */
  @ParameterizedTest(name = "{0} queries x {1} classes, bias {2}")
  @CsvSource({"1, 1, true", "5, 3, false", "16, 17, true", "17, 16, true", "33, 101, false", "128, 6144, true",
      "20, 6151, true"})
  void theSimdPassesAndTheScalarColumnsGiveTheSameBits(int b, int k, boolean withBias) {
    Assumptions.assumeTrue(CrossEntropyKernel.VECTOR, "this JVM runs without --add-modules jdk.incubator.vector");
    Random r = new Random(7L * k + b);
    float[] x = new float[k * b];
    for (int i = 0; i < x.length; i++) { // columns of very different scales
      x[i] = (float) (r.nextGaussian() * Math.pow(10, (i % b) % 3) - 5);
    }
    ByteBuffer bias = withBias ? floats(gaussian(r, k, 3)) : null;
    int[] t = targets(r, b, k);
    ByteBuffer gv = floats(new float[x.length]);
    ByteBuffer gs = floats(new float[x.length]);
    float[] dv = withBias ? new float[k] : null;
    float[] ds = withBias ? new float[k] : null;
    ClassMajorCrossEntropy.Workspace work = new ClassMajorCrossEntropy.Workspace(); // shared: reuse must not leak
    float lv = ClassMajorCrossEntropy.lossAndGradient(floats(x), bias, gv, dv, b, k, t, 1f / 7, work);
    float ls = ClassMajorCrossEntropy.lossAndGradientScalar(floats(x), bias, gs, ds, b, k, t, 1f / 7, work);
    assertEquals(Float.floatToRawIntBits(ls), Float.floatToRawIntBits(lv), "loss");
    for (int i = 0; i < x.length; i++) {
      assertEquals(Float.floatToRawIntBits(gs.getFloat(4 * i)), Float.floatToRawIntBits(gv.getFloat(4 * i)),
          "gradient " + i);
    }
    for (int c = 0; withBias && c < k; c++) {
      assertEquals(Float.floatToRawIntBits(ds[c]), Float.floatToRawIntBits(dv[c]), "bias gradient " + c);
    }
  }

  /** The gradient written over the logits (as the training step does) has the bits of one written beside them. */
  @ParameterizedTest(name = "{0} queries x {1} classes")
  @CsvSource({"3, 17", "16, 101", "37, 6144"})
  void theGradientCanReplaceTheLogitsInPlace(int b, int k) {
    Random r = new Random(11L * k + b);
    float[] x = gaussian(r, k * b, 4);
    ByteBuffer bias = floats(gaussian(r, k, 1));
    int[] t = targets(r, b, k);
    ClassMajorCrossEntropy.Workspace work = new ClassMajorCrossEntropy.Workspace();
    for (boolean simd : new boolean[] {false, true}) {
      if (simd && !CrossEntropyKernel.VECTOR) {
        continue;
      }
      ByteBuffer apart = floats(new float[x.length]);
      ByteBuffer inPlace = floats(x);
      float[] d1 = new float[k];
      float[] d2 = new float[k];
      float l1 = simd
          ? ClassMajorCrossEntropy.lossAndGradient(floats(x), bias, apart, d1, b, k, t, 0.5f, work)
          : ClassMajorCrossEntropy.lossAndGradientScalar(floats(x), bias, apart, d1, b, k, t, 0.5f, work);
      float l2 = simd
          ? ClassMajorCrossEntropy.lossAndGradient(inPlace, bias, inPlace, d2, b, k, t, 0.5f, work)
          : ClassMajorCrossEntropy.lossAndGradientScalar(inPlace, bias, inPlace, d2, b, k, t, 0.5f, work);
      assertEquals(Float.floatToRawIntBits(l1), Float.floatToRawIntBits(l2), "loss, simd " + simd);
      for (int i = 0; i < x.length; i++) {
        assertEquals(Float.floatToRawIntBits(apart.getFloat(4 * i)), Float.floatToRawIntBits(inPlace.getFloat(4 * i)),
            "gradient " + i + ", simd " + simd);
      }
      for (int c = 0; c < k; c++) {
        assertEquals(Float.floatToRawIntBits(d1[c]), Float.floatToRawIntBits(d2[c]), "bias gradient " + c);
      }
    }
  }

  private static float[] gaussian(Random r, int n, double spread) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextGaussian() * spread);
    }
    return x;
  }
}
