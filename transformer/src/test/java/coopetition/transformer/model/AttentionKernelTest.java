package coopetition.transformer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import coopetition.transformer.runtime.Torch;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java attention kernel against a double-precision attention written out here (forward, pattern and
 * the gradient by central differences), and a whole model's parameter gradients through {@link KernelPass}
 * against libtorch's autograd.
 */
class AttentionKernelTest {
  static NDManager manager;

  @BeforeAll
  static void setUp() {
    Torch.configure(1);
    manager = Torch.newManager(ai.djl.Device.cpu());
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  /** Causal softmax attention in double: z [B, T, H, hd] from qkv [B, T, 3, H, hd]; pattern into p [B, H, T, T]. */
  static double[] reference(double[] qkv, int b, int t, int h, int hd, double[] p) {
    double[] z = new double[b * t * h * hd];
    for (int x = 0; x < b; x++) {
      for (int hi = 0; hi < h; hi++) {
        for (int i = 0; i < t; i++) {
          double[] s = new double[i + 1];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j <= i; j++) {
            for (int c = 0; c < hd; c++) {
              s[j] += qkv[(((x * t + i) * 3) * h + hi) * hd + c] * qkv[(((x * t + j) * 3 + 1) * h + hi) * hd + c];
            }
            s[j] /= Math.sqrt(hd);
            max = Math.max(max, s[j]);
          }
          double sum = 0;
          for (int j = 0; j <= i; j++) {
            s[j] = Math.exp(s[j] - max);
            sum += s[j];
          }
          for (int j = 0; j <= i; j++) {
            double pij = s[j] / sum;
            if (p != null) {
              p[((x * h + hi) * t + i) * t + j] = pij;
            }
            for (int c = 0; c < hd; c++) {
              z[((x * t + i) * h + hi) * hd + c] += pij * qkv[(((x * t + j) * 3 + 2) * h + hi) * hd + c];
            }
          }
        }
      }
    }
    return z;
  }

  @ParameterizedTest(name = "batch {0}, {1} tokens, {2} heads of {3}")
  @CsvSource({"3, 5, 2, 4", "70, 5, 8, 8", "64, 9, 1, 2", "1, 1, 1, 1"})
  void forwardPatternAndGradientMatchTheDefinition(int b, int t, int h, int hd) {
    Random r = new Random(b * 31L + t);
    int n = b * t * 3 * h * hd;
    double[] qkv = new double[n];
    float[] qkvF = new float[n];
    for (int i = 0; i < n; i++) {
      qkvF[i] = (float) (2 * r.nextGaussian());
      qkv[i] = qkvF[i];
    }
    double[] dz = new double[n / 3];
    float[] dzF = new float[n / 3];
    for (int i = 0; i < dz.length; i++) {
      dzF[i] = (float) r.nextGaussian();
      dz[i] = dzF[i];
    }
    AttentionKernel k = new AttentionKernel(b, t, h, hd);
    float[] z = new float[n / 3];
    // twice: the second pass must not see the first's state
    k.forward(qkvF, z);
    k.forward(qkvF, z);
    double[] p = new double[b * h * t * t];
    double[] zRef = reference(qkv, b, t, h, hd, p);
    for (int i = 0; i < z.length; i++) {
      assertEquals(zRef[i], z[i], 1e-5 * (1 + Math.abs(zRef[i])), "z[" + i + "]");
    }
    float[] pattern = k.pattern();
    for (int i = 0; i < p.length; i++) {
      assertEquals(p[i], pattern[i], 1e-6, "pattern[" + i + "] (zero above the diagonal)");
    }
    float[] g = new float[n];
    k.backward(dzF, g);
    k.backward(dzF, g);
    // d(dz · z)/d qkv by central differences of the double reference, on a sample of entries
    double eps = 1e-5;
    for (int trial = 0; trial < Math.min(n, 60); trial++) {
      int i = trial < 3 ? trial : r.nextInt(n);
      double keep = qkv[i];
      qkv[i] = keep + eps;
      double up = dot(dz, reference(qkv, b, t, h, hd, null));
      qkv[i] = keep - eps;
      double down = dot(dz, reference(qkv, b, t, h, hd, null));
      qkv[i] = keep;
      double want = (up - down) / (2 * eps);
      assertEquals(want, g[i], 1e-4 * (1 + Math.abs(want)), "dqkv[" + i + "]");
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @ParameterizedTest(name = "depth {0}, mlp_ratio {1}, batch {2}, loss in Java {3}")
  @CsvSource({"2, 0, 16, false", "3, 4, 70, false", "2, 0, 16, true", "3, 4, 70, true"})
  void aKernelPassGivesAutogradsParameterGradients(int depth, int mlp, int b, boolean javaLoss) {
    ModelConfig c = new ModelConfig(6, 11, 16, 4, depth, 16, PositionalEncoding.LEARNED, 30, mlp);
    Random r = new Random(depth);
    int pairs = 3;
    try (NDManager m = manager.newSubManager(); Parameters params = Parameters.initialise(c, 7, m, DataType.FLOAT32)) {
      Transformer model = new Transformer(params);
      NDArray x = m.create(TransformerTest.randomExamples(r, b, pairs, 6), new Shape(b, pairs, 6)).toType(DataType.FLOAT32, false);
      NDArray y = m.create(TransformerTest.randomLabels(r, b, pairs, 11), new Shape(b, pairs));
      NDArray target = y.get(":, -1:");
      Map<String, float[]> autograd = new LinkedHashMap<>();
      float lossA;
      try (NDManager sm = m.newSubManager(); GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray loss = model.queryLogits(x, y).logSoftmax(-1).gather(target, 1).neg().mean();
        loss.attach(sm);
        gc.backward(loss);
        lossA = loss.getFloat();
        params.arrays().forEach((name, a) -> autograd.put(name, a.getGradient().toFloatArray()));
        params.arrays().values().forEach(a -> a.getGradient().subi(a.getGradient()));
      }
      KernelPass pass = new KernelPass();
      float lossK = 0;
      for (int round = 0; round < 2; round++) { // the pass is reused from step to step
        params.arrays().values().forEach(a -> a.getGradient().subi(a.getGradient()));
        boolean mode = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try (NDManager sm = m.newSubManager()) {
          if (javaLoss) { // the loss in Java too (kernels=java's training step)
            int[] t = new int[b];
            for (int i = 0; i < b; i++) {
              t[i] = (int) target.getLong(i, 0);
            }
            NDArray loss = pass.crossEntropy(model.queryLogits(x, y, pass), t, b);
            pass.backward();
            lossK = loss.getFloat();
          } else {
            NDArray loss = model.queryLogits(x, y, pass).logSoftmax(-1).gather(target, 1).neg().mean();
            loss.attach(sm);
            pass.backward(loss);
            lossK = loss.getFloat();
          }
        } finally {
          JniUtils.setGradMode(mode);
        }
      }
      pass.close();
      assertEquals(lossA, lossK, 1e-5 * Math.abs(lossA));
      for (Map.Entry<String, float[]> e : autograd.entrySet()) {
        float[] want = e.getValue();
        float[] got = params.get(e.getKey()).getGradient().toFloatArray();
        double scale = 0;
        for (float w : want) {
          scale = Math.max(scale, Math.abs(w));
        }
        assertTrue(scale > 0 || e.getKey().startsWith("pos_embed"), e.getKey() + " has a gradient");
        for (int i = 0; i < want.length; i++) {
          assertEquals(want[i], got[i], 1e-4 * scale + 1e-7, e.getKey() + "[" + i + "]");
        }
      }
    }
  }
}
