package coopetition.transformer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import coopetition.transformer.config.AdamConfig;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.model.Parameters;
import coopetition.transformer.model.PositionalEncoding;
import coopetition.transformer.runtime.Torch;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fused update against optax's Adam / AdamW / the authors' penalty, written out in plain Java. */
class AdamTest {

  @ParameterizedTest(name = "lr {0}, weight decay {1} {2}, {3}")
  @CsvSource({"0.01, 0, PENALTY, JAVA_LOOP", "0.01, 0.05, PENALTY, JAVA_LOOP", "0.003, 0.1, DECOUPLED, JAVA_LOOP",
      "0.01, 0.05, PENALTY, JAVA_FUSED", "0.003, 0.1, DECOUPLED, JAVA_FUSED"})
  void matchesOptaxAdamOverSeveralSteps(double lr, double wd, AdamConfig.WeightDecay mode, Adam.Kernel kernel) {
    Torch.configure(1);
    ModelConfig c = new ModelConfig(3, 4, 4, 2, 1, 8, PositionalEncoding.LEARNED, 30, 0);
    AdamConfig cfg = new AdamConfig(lr, 0.9, 0.999, 1e-8, wd, mode);
    try (NDManager m = Torch.newManager(ai.djl.Device.cpu());
        Parameters p = Parameters.initialise(c, 1, m, DataType.FLOAT32);
        Adam adam = new Adam(cfg, p, kernel)) {
      String name = "unembed.weight";
      NDArray w = p.get(name);
      double[] ref = toDouble(w.toFloatArray());
      double[] mean = new double[ref.length];
      double[] var = new double[ref.length];
      for (int t = 1; t <= 5; t++) {
        // loss = sum(w^3 * k) gives a gradient 3 k w^2 that changes every step.
        NDArray coef = m.arange(0f, (float) ref.length).add(1).reshape(w.getShape()).div(ref.length);
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
          NDArray loss = null;
          for (Map.Entry<String, NDArray> e : p.arrays().entrySet()) {
            NDArray term = e.getKey().equals(name) ? e.getValue().pow(3).mul(coef).sum() : e.getValue().sum().mul(0);
            loss = loss == null ? term : loss.add(term);
          }
          gc.backward(loss);
        }
        float[] coefs = coef.toFloatArray();
        adam.step(p);
        double c1 = 1 - Math.pow(0.9, t);
        double c2 = 1 - Math.pow(0.999, t);
        double norm = 0;
        for (double r : ref) {
          norm += r * r;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < ref.length; i++) {
          // The authors' penalty wd·‖W‖_F contributes wd·W/‖W‖_F to the gradient.
          double g = 3 * coefs[i] * ref[i] * ref[i] + (mode == AdamConfig.WeightDecay.PENALTY ? wd * ref[i] / norm : 0);
          mean[i] = 0.9 * mean[i] + 0.1 * g;
          var[i] = 0.999 * var[i] + 0.001 * g * g;
          double update = (mean[i] / c1) / (Math.sqrt(var[i] / c2) + 1e-8);
          ref[i] = ref[i] - lr * update - (mode == AdamConfig.WeightDecay.DECOUPLED ? lr * wd * ref[i] : 0);
        }
        float[] got = w.toFloatArray();
        for (int i = 0; i < ref.length; i++) {
          assertEquals(ref[i], got[i], 2e-6, "step " + t + " element " + i);
        }
      }
      assertEquals(5, adam.steps());
    }
  }

  @org.junit.jupiter.api.Test
  void updateSplitOverTwoThreadsIsBitIdentical() throws Exception {
    Torch.configure(1);
    ModelConfig c = new ModelConfig(3, 40, 8, 2, 2, 8, PositionalEncoding.LEARNED, 30, 0);
    AdamConfig cfg = new AdamConfig(0.01, 0.9, 0.999, 1e-8, 0.01, AdamConfig.WeightDecay.PENALTY);
    java.util.concurrent.ExecutorService helper = java.util.concurrent.Executors.newSingleThreadExecutor(r -> new Thread(() -> {
      ai.djl.pytorch.jni.JniUtils.setGradMode(false);
      r.run();
    }));
    try (NDManager m = Torch.newManager(ai.djl.Device.cpu());
        Parameters p = Parameters.initialise(c, 1, m, DataType.FLOAT32);
        Parameters q = Parameters.initialise(c, 1, m, DataType.FLOAT32);
        Adam serial = new Adam(cfg, p);
        Adam split = new Adam(cfg, q)) {
      for (int t = 0; t < 3; t++) {
        for (Parameters ps : new Parameters[] {p, q}) {
          try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray loss = null;
            for (NDArray w : ps.arrays().values()) {
              NDArray term = w.pow(3).sum();
              loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
          }
        }
        serial.step(p);
        split.step(q, helper);
      }
      for (String name : p.arrays().keySet()) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(p.get(name).toFloatArray(), q.get(name).toFloatArray(), name);
      }
    } finally {
      helper.shutdownNow();
    }
  }

  /** The one-pass Java kernel must give the libtorch ops' numbers bit for bit (resume and reference runs rely on it). */
  @ParameterizedTest
  @CsvSource({"0.01, 0, PENALTY", "0.01, 0.05, PENALTY", "0.003, 0.1, DECOUPLED"})
  void javaLoopIsBitIdenticalToTheLibtorchOps(double lr, double wd, AdamConfig.WeightDecay mode) {
    Torch.configure(1);
    ModelConfig c = new ModelConfig(3, 40, 8, 2, 2, 8, PositionalEncoding.LEARNED, 30, 0);
    AdamConfig cfg = new AdamConfig(lr, 0.9, 0.999, 1e-8, wd, mode);
    try (NDManager m = Torch.newManager(ai.djl.Device.cpu());
        Parameters p = Parameters.initialise(c, 1, m, DataType.FLOAT32);
        Parameters q = Parameters.initialise(c, 1, m, DataType.FLOAT32);
        Adam ops = new Adam(cfg, p, Adam.Kernel.LIBTORCH_OPS);
        Adam loop = new Adam(cfg, q, Adam.Kernel.JAVA_LOOP)) {
      for (int t = 0; t < 6; t++) {
        for (Parameters ps : new Parameters[] {p, q}) {
          try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray loss = null;
            for (NDArray w : ps.arrays().values()) {
              // gradients from 1e-12 to 1e3 in size, and exactly zero for the zero biases
              NDArray term = w.pow(3).sum().mul(Math.pow(10, 3 * (t % 5) - 12)).add(w.sin().sum());
              loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
          }
        }
        ops.step(p);
        loop.step(q);
      }
      for (String name : p.arrays().keySet()) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(p.get(name).toFloatArray(), q.get(name).toFloatArray(), name);
        org.junit.jupiter.api.Assertions.assertArrayEquals(ops.mean().get(name).toFloatArray(),
            loop.mean().get(name).toFloatArray(), name + " m");
        org.junit.jupiter.api.Assertions.assertArrayEquals(ops.variance().get(name).toFloatArray(),
            loop.variance().get(name).toFloatArray(), name + " v");
        org.junit.jupiter.api.Assertions.assertArrayEquals(p.get(name).getGradient().toFloatArray(),
            q.get(name).getGradient().toFloatArray(), name + " gradient zeroed");
      }
    }
  }

  /**
   * The SIMD passes (the surefire JVM has the Vector API, as bin/coop gives the commands that train) and the
   * chunked passes give the same bits, for the one-pass update and for the two passes around libtorch's root: lengths with a tail after the last full vector and after the last
   * chunk, gradients from 1e-12 to 1e3 and exact zeros, both weight-decay forms.
   */
  @ParameterizedTest(name = "{0} floats, decoupled {1}, fused {2}")
  @CsvSource({"1, false, true", "37, true, true", "4099, false, true", "100003, true, true",
      "1, true, false", "37, false, false", "4099, true, false", "100003, false, false"})
  void theSimdPassesAndTheChunkedPassesGiveTheSameBits(int n, boolean decoupled, boolean fused) {
    org.junit.jupiter.api.Assumptions.assumeTrue(AdamLoop.VECTOR, "this JVM runs without --add-modules jdk.incubator.vector");
    java.util.Random r = new java.util.Random(n);
    float[][] init = new float[4][n];
    for (int i = 0; i < n; i++) {
      init[0][i] = (float) r.nextGaussian();
      init[1][i] = i % 11 == 0 ? 0f : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(16) - 12));
      init[2][i] = (float) (r.nextGaussian() * 1e-3);
      init[3][i] = (float) Math.abs(r.nextGaussian() * 1e-6);
    }
    try (NDManager m = Torch.newManager(ai.djl.Device.cpu())) {
      NDArray[] simd = new NDArray[4];
      NDArray[] chunked = new NDArray[4];
      for (int k = 0; k < 4; k++) {
        simd[k] = m.create(init[k]);
        chunked[k] = m.create(init[k]);
      }
      for (int step = 0; step < 3; step++) {
        if (fused) {
          AdamLoop.updateFused(simd[0], simd[1], simd[2], simd[3], 3e-4f, 1e-8f, 0.9f, 0.999f, decoupled, 0.999f);
          AdamLoop.updateFusedChunked(chunked[0], chunked[1], chunked[2], chunked[3], 3e-4f, 1e-8f, 0.9f, 0.999f,
              decoupled, 0.999f);
        } else {
          AdamLoop.update(simd[0], simd[1], simd[2], simd[3], 3e-4f, 1e-8f, 0.9f, 0.999f, decoupled, 0.999f);
          AdamLoop.updateChunked(chunked[0], chunked[1], chunked[2], chunked[3], 3e-4f, 1e-8f, 0.9f, 0.999f,
              decoupled, 0.999f);
        }
        for (int k = 0; k < 4; k++) {
          org.junit.jupiter.api.Assertions.assertArrayEquals(chunked[k].toFloatArray(), simd[k].toFloatArray(),
              "w g m v".split(" ")[k] + " after step " + step);
        }
        simd[1].set(init[1]);
        chunked[1].set(init[1]);
      }
      org.junit.jupiter.api.Assertions.assertNotEquals(init[0][0], simd[0].toFloatArray()[0], "the weights moved");
    }
  }

  @org.junit.jupiter.api.Test
  void theOnePassUpdateCanLeaveAPerStepLeafsGradientAsItWas() {
    float[] w0 = {0.5f, -1.25f, 2f, 0.125f, -0.75f, 3f, 1e-3f, -2e-3f, 0.25f, 4f, -4f, 1f, 0.5f, 0.5f, -0.5f, 2.5f, 7f};
    float[] g0 = new float[w0.length];
    for (int i = 0; i < g0.length; i++) {
      g0[i] = (i % 3 - 1) * 0.01f * (i + 1);
    }
    try (NDManager m = Torch.newManager(ai.djl.Device.cpu())) {
      NDArray[] cleared = {m.create(w0), m.create(g0), m.zeros(new Shape(w0.length)), m.zeros(new Shape(w0.length))};
      NDArray[] kept = {m.create(w0), m.create(g0), m.zeros(new Shape(w0.length)), m.zeros(new Shape(w0.length))};
      AdamLoop.updateFused(cleared[0], cleared[1], cleared[2], cleared[3], 3e-4f, 1e-8f, 0.9f, 0.999f, false, 1f, true);
      AdamLoop.updateFused(kept[0], kept[1], kept[2], kept[3], 3e-4f, 1e-8f, 0.9f, 0.999f, false, 1f, false);
      for (int k : new int[] {0, 2, 3}) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(cleared[k].toFloatArray(), kept[k].toFloatArray());
      }
      org.junit.jupiter.api.Assertions.assertArrayEquals(new float[w0.length], cleared[1].toFloatArray());
      org.junit.jupiter.api.Assertions.assertArrayEquals(g0, kept[1].toFloatArray());
    }
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
