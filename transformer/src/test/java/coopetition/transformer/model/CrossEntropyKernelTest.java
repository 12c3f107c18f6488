package coopetition.transformer.model;

import static coopetition.transformer.model.LossFixtures.floats;
import static coopetition.transformer.model.LossFixtures.targets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java cross-entropy ({@code kernels=java}'s loss): its exponential against {@code Math.exp}, the loss
 * and gradient against a double-precision softmax written out here, and the SIMD passes against the scalar
 * ones bit for bit.
 */
class CrossEntropyKernelTest {

  @Test
  void theExponentialIsWithinOneUlpOfMathExpDownToTheClamp() {
    Random r = new Random(3);
    double worst = 0;
    for (int i = 0; i < 2_000_000; i++) {
      float x = i < 1_000_000 ? -87f * i / 1_000_000 : (float) (-r.nextDouble() * 87);
      double want = Math.exp(x);
      double ulp = Math.ulp((float) want);
      worst = Math.max(worst, Math.abs(CrossEntropyKernel.exp(x) - want) / ulp);
    }
    assertTrue(worst <= 1, "worst error " + worst + " ulp");
    assertEquals(1f, CrossEntropyKernel.exp(0f));
    assertEquals(1f, CrossEntropyKernel.exp(-0f));
    // below the clamp every value is e^-87 (a normal float), and -infinity too
    assertEquals(CrossEntropyKernel.exp(-87f), CrossEntropyKernel.exp(-1000f));
    assertEquals(CrossEntropyKernel.exp(-87f), CrossEntropyKernel.exp(Float.NEGATIVE_INFINITY));
    assertTrue(CrossEntropyKernel.exp(-87f) >= Float.MIN_NORMAL);
  }

  @ParameterizedTest(name = "{0} rows x {1} classes, logits x{2}")
  @CsvSource({"1, 1, 1", "3, 17, 1", "5, 64, 10", "4, 6144, 3", "2, 1001, 40"})
  void lossAndGradientAreTheSoftmaxOnes(int rows, int k, double spread) {
    Random r = new Random(rows * 31L + k);
    float[] x = new float[rows * k];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextGaussian() * spread);
    }
    int[] t = targets(r, rows, k);
    int batch = rows + 3;
    float scale = 1f / batch;
    ByteBuffer in = floats(x);
    ByteBuffer g = floats(new float[x.length]);
    float loss = CrossEntropyKernel.lossAndGradient(in, g, rows, k, t, scale);
    double wantLoss = 0;
    for (int row = 0; row < rows; row++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < k; i++) {
        max = Math.max(max, x[row * k + i]);
      }
      double sum = 0;
      for (int i = 0; i < k; i++) {
        sum += Math.exp(x[row * k + i] - max);
      }
      wantLoss += Math.log(sum) - (x[row * k + t[row]] - max);
      double rowSum = 0;
      for (int i = 0; i < k; i++) {
        double want = (Math.exp(x[row * k + i] - max) / sum - (i == t[row] ? 1 : 0)) / batch;
        float got = g.getFloat(4 * (row * k + i));
        assertEquals(want, got, 1e-6 / batch + 1e-5 * Math.abs(want), "gradient [" + row + ", " + i + "]");
        rowSum += got;
      }
      assertEquals(0, rowSum, 1e-5, "a softmax gradient row sums to 0");
    }
    assertEquals(wantLoss, loss, 1e-5 * (1 + wantLoss));
    assertEquals(x[0], in.getFloat(0), "the logits are left alone");
  }

  @Test
  void aRowWithEverythingOnTheTargetHasLossZeroAndNoGradient() {
    int k = 40;
    float[] x = new float[k];
    java.util.Arrays.fill(x, -200f);
    x[7] = 200f; // the others are e^-400 below: clamped to e^-87, still negligible against 1
    ByteBuffer g = floats(new float[k]);
    float loss = CrossEntropyKernel.lossAndGradient(floats(x), g, 1, k, new int[] {7}, 1f);
    assertEquals(0, loss, 1e-30);
    for (int i = 0; i < k; i++) {
      assertEquals(0, g.getFloat(4 * i), 1e-36, "gradient " + i);
    }
  }

  /**
   * The surefire JVM has the Vector API (as bin/coop gives the commands that train): its passes and the
   * scalar ones give the same bits, with tails after the last block of 16 and rows of very different scales.
   */
  @ParameterizedTest(name = "{0} rows x {1} classes")
  @CsvSource({"1, 1", "2, 15", "3, 16", "3, 17", "5, 100", "4, 6144", "3, 6151"})
  void theSimdPassesAndTheScalarPassesGiveTheSameBits(int rows, int k) {
    Assumptions.assumeTrue(CrossEntropyKernel.VECTOR, "this JVM runs without --add-modules jdk.incubator.vector");
    Random r = new Random(k);
    float[] x = new float[rows * k];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextGaussian() * Math.pow(10, (i / k) % 3) - 5);
    }
    int[] t = targets(r, rows, k);
    ByteBuffer gv = floats(new float[x.length]);
    ByteBuffer gs = floats(new float[x.length]);
    float lv = CrossEntropyKernel.lossAndGradient(floats(x), gv, rows, k, t, 1f / 7);
    float ls = CrossEntropyKernel.lossAndGradientScalar(floats(x), null, gs, null, rows, k, t, 1f / 7);
    assertEquals(Float.floatToRawIntBits(ls), Float.floatToRawIntBits(lv), "loss");
    for (int i = 0; i < x.length; i++) {
      assertEquals(Float.floatToRawIntBits(gs.getFloat(4 * i)), Float.floatToRawIntBits(gv.getFloat(4 * i)),
          "gradient " + i);
    }
  }

  /**
   * With the unembedding's bias added in the kernel: the SIMD and scalar passes give the same bits (loss,
   * gradient, the bias's gradient summed over rows), the loss and gradient are those of the logits with the
   * bias added beforehand, and the bias's gradient is the rows' gradient summed in row order.
   */
  @ParameterizedTest(name = "{0} rows x {1} classes")
  @CsvSource({"1, 1", "3, 17", "5, 100", "4, 6144", "3, 6151"})
  void theBiasIsAddedInTheKernelAndItsGradientSummedOverRows(int rows, int k) {
    Random r = new Random(31L * k + rows);
    float[] x = new float[rows * k];
    float[] b = new float[k];
    float[] xb = new float[rows * k];
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) (3 * r.nextGaussian());
    }
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextGaussian() * 4);
      xb[i] = x[i] + b[i % k];
    }
    int[] t = targets(r, rows, k);
    ByteBuffer gs = floats(new float[x.length]);
    float[] dbs = new float[k];
    float ls = CrossEntropyKernel.lossAndGradientScalar(floats(x), floats(b), gs, dbs, rows, k, t, 1f / 5);
    ByteBuffer gw = floats(new float[x.length]);
    float lw = CrossEntropyKernel.lossAndGradientScalar(floats(xb), null, gw, null, rows, k, t, 1f / 5);
    assertEquals(Float.floatToRawIntBits(lw), Float.floatToRawIntBits(ls), "loss of logits + bias");
    for (int c = 0; c < k; c++) {
      float sum = 0f;
      for (int row = 0; row < rows; row++) {
        float g = gs.getFloat(4 * (row * k + c));
        assertEquals(Float.floatToRawIntBits(gw.getFloat(4 * (row * k + c))), Float.floatToRawIntBits(g), "gradient");
        sum = sum + g;
      }
      assertEquals(Float.floatToRawIntBits(sum), Float.floatToRawIntBits(dbs[c]), "bias gradient " + c);
    }
    Assumptions.assumeTrue(CrossEntropyKernel.VECTOR, "this JVM runs without --add-modules jdk.incubator.vector");
    ByteBuffer gv = floats(new float[x.length]);
    float[] dbv = new float[k];
    float lv = CrossEntropyKernel.lossAndGradient(floats(x), floats(b), gv, dbv, rows, k, t, 1f / 5);
    assertEquals(Float.floatToRawIntBits(ls), Float.floatToRawIntBits(lv), "loss");
    for (int i = 0; i < x.length; i++) {
      assertEquals(Float.floatToRawIntBits(gs.getFloat(4 * i)), Float.floatToRawIntBits(gv.getFloat(4 * i)), "gradient " + i);
    }
    for (int c = 0; c < k; c++) {
      assertEquals(Float.floatToRawIntBits(dbs[c]), Float.floatToRawIntBits(dbv[c]), "bias gradient " + c);
    }
  }
}
