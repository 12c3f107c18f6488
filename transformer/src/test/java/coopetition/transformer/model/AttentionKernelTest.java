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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
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

  /**
   * Causal softmax attention in double, in the kernel's channel-major layout: z [B, T, hd, H] from qkv
   * [B, T, 3, hd, H]; pattern into p [B, H, T, T].
   */
  static double[] reference(double[] qkv, int b, int t, int h, int hd, double[] p) {
    double[] z = new double[b * t * h * hd];
    for (int x = 0; x < b; x++) {
      for (int hi = 0; hi < h; hi++) {
        for (int i = 0; i < t; i++) {
          double[] s = new double[i + 1];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j <= i; j++) {
            for (int c = 0; c < hd; c++) {
              s[j] += qkv[(((x * t + i) * 3) * hd + c) * h + hi] * qkv[(((x * t + j) * 3 + 1) * hd + c) * h + hi];
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
              z[((x * t + i) * hd + c) * h + hi] += pij * qkv[(((x * t + j) * 3 + 2) * hd + c) * h + hi];
            }
          }
        }
      }
    }
    return z;
  }

  @ParameterizedTest(name = "batch {0}, {1} tokens, {2} heads of {3}, SIMD {4}")
  @CsvSource({"70, 5, 8, 8, true", "5, 17, 8, 8, true", "3, 4, 8, 2, true", "3, 5, 2, 4, true", "64, 9, 1, 2, true",
      "1, 1, 1, 2, true", "70, 5, 8, 8, false", "5, 3, 3, 6, false"})
  void forwardPatternAndGradientMatchTheDefinition(int b, int t, int h, int hd, boolean simd) {
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
    AttentionKernel k = new AttentionKernel(b, t, h, hd, simd);
    ByteBuffer z = floats(n / 3);
    // twice: the second pass must not see the first's state
    k.forward(buffer(qkvF), z);
    k.forward(buffer(qkvF), z);
    double[] p = new double[b * h * t * t];
    double[] zRef = reference(qkv, b, t, h, hd, p);
    for (int i = 0; i < zRef.length; i++) {
      assertEquals(zRef[i], z.getFloat(4 * i), 1e-5 * (1 + Math.abs(zRef[i])), "z[" + i + "]");
    }
    float[] pattern = k.pattern();
    for (int i = 0; i < p.length; i++) {
      assertEquals(p[i], pattern[i], 1e-6, "pattern[" + i + "] (zero above the diagonal)");
    }
    ByteBuffer g = floats(n);
    k.backward(buffer(qkvF), buffer(dzF), g);
    k.backward(buffer(qkvF), buffer(dzF), g);
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
      assertEquals(want, g.getFloat(4 * i), 1e-4 * (1 + Math.abs(want)), "dqkv[" + i + "]");
    }
  }

  /**
   * The SIMD passes give the scalar passes' bits (8 heads in 16 lanes); fails if a lane's
   * operations change order or fuse, or a head's sum is taken in another order.
   */
  @ParameterizedTest(name = "batch {0}, {1} tokens, {2} heads of {3}")
  @CsvSource({"70, 5, 8, 8", "9, 17, 8, 8", "4, 5, 8, 2", "3, 6, 8, 16", "1, 1, 8, 4"})
  void simdPassesGiveTheScalarPassesBits(int b, int t, int h, int hd) {
    Random r = new Random(7L * b + h);
    int n = b * t * 3 * h * hd;
    float[] qkv = new float[n];
    float[] dz = new float[n / 3];
    for (int i = 0; i < n; i++) {
      // wide magnitudes, so that the softmax's exp and every sum's order matter
      qkv[i] = (float) (r.nextGaussian() * Math.exp(3 * r.nextGaussian()));
    }
    for (int i = 0; i < dz.length; i++) {
      dz[i] = (float) r.nextGaussian();
    }
    AttentionKernel scalar = new AttentionKernel(b, t, h, hd, false);
    AttentionKernel simd = new AttentionKernel(b, t, h, hd, true);
    assertEquals(0, scalar.lanes());
    Assumptions.assumeTrue(simd.lanes() == 2 * h, "a vector of 2H lanes (AVX-512 for 8 heads)");
    ByteBuffer z1 = floats(n / 3);
    ByteBuffer z2 = floats(n / 3);
    scalar.forward(buffer(qkv), z1);
    simd.forward(buffer(qkv), z2);
    assertBitsEqual(z1, z2, "z");
    ByteBuffer g1 = floats(n);
    ByteBuffer g2 = floats(n);
    scalar.backward(buffer(qkv), buffer(dz), g1);
    simd.backward(buffer(qkv), buffer(dz), g2);
    assertBitsEqual(g1, g2, "dqkv");
  }

  private static void assertBitsEqual(ByteBuffer want, ByteBuffer got, String name) {
    for (int i = 0; i < want.capacity() / 4; i++) {
      int w = Float.floatToRawIntBits(want.getFloat(4 * i));
      int g = Float.floatToRawIntBits(got.getFloat(4 * i));
      if (w != g) {
        throw new AssertionError(name + "[" + i + "]: scalar " + Float.intBitsToFloat(w) + ", SIMD " + Float.intBitsToFloat(g));
      }
    }
  }

  /** A native-order direct buffer holding {@code v}, as libtorch's storage reaches the kernel. */
  static ByteBuffer buffer(float[] v) {
    ByteBuffer b = floats(v.length);
    b.asFloatBuffer().put(v);
    return b;
  }

  static ByteBuffer floats(int n) {
    return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder());
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
            NDArray loss = model.queryLoss(x, y, t, b, pass); // the unembedding's bias added in the Java loss
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

  /**
   * Per-step gradient leaves (what the trainer uses with kernels=java, the attention weights as channel-major
   * copies) give the bits the stored parameters' zeroed-then-accumulated gradients get, over two steps in which the
   * weights change, and leave the stored gradients alone.
   */
  @ParameterizedTest(name = "mlp_ratio {0}")
  @CsvSource({"0", "4"})
  void gradientLeavesCollectTheSameBitsAsTheParametersOwnGradients(int mlp) {
    // 2 heads of width 8: the channel-major reorder is then no transpose of a square, so its direction matters
    ModelConfig c = new ModelConfig(6, 11, 16, 2, 2, 16, PositionalEncoding.LEARNED, 30, mlp);
    Random r = new Random(5);
    int b = 12;
    int pairs = 3;
    try (NDManager m = manager.newSubManager(); Parameters params = Parameters.initialise(c, 7, m, DataType.FLOAT32);
        KernelPass pass = new KernelPass(); StepLeaves stepLeaves = new StepLeaves(m)) {
      Transformer model = new Transformer(params);
      NDArray x = m.create(TransformerTest.randomExamples(r, b, pairs, 6), new Shape(b, pairs, 6)).toType(DataType.FLOAT32, false);
      NDArray y = m.create(TransformerTest.randomLabels(r, b, pairs, 11), new Shape(b, pairs));
      int[] t = new int[b];
      for (int i = 0; i < b; i++) {
        t[i] = (int) y.getLong(i, pairs - 1);
      }
      for (int round = 0; round < 2; round++) { // the reordered copies are reused: the second step sees new weights
        params.arrays().values().forEach(a -> a.getGradient().subi(a.getGradient()));
        Map<String, float[]> stored = new LinkedHashMap<>();
        Map<String, float[]> viaLeaves = new LinkedHashMap<>();
        boolean mode = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
          try (NDManager sm = m.newSubManager()) {
            model.queryLoss(x, y, t, b, pass);
            pass.backward();
            params.arrays().forEach((name, a) -> stored.put(name, a.getGradient().toFloatArray()));
            params.arrays().values().forEach(a -> a.getGradient().subi(a.getGradient()));
          }
          try (NDManager sm = m.newSubManager()) {
            stepLeaves.begin(params, sm);
            pass.useLeaves(stepLeaves);
            model.queryLoss(x, y, t, b, pass);
            pass.backward();
            pass.useLeaves(null);
            stepLeaves.gradients().forEach((name, g) -> viaLeaves.put(name, g.toFloatArray()));
          }
        } finally {
          JniUtils.setGradMode(mode);
        }
        assertEquals(stored.keySet(), viaLeaves.keySet());
        stored.forEach((name, g) -> {
          assertTrue(maxAbs(g) > 0 || name.startsWith("pos_embed"), name + " has a gradient");
          org.junit.jupiter.api.Assertions.assertArrayEquals(g, viaLeaves.get(name), name);
          float[] untouched = params.get(name).getGradient().toFloatArray();
          assertEquals(0, untouched.length == 0 ? 0 : maxAbs(untouched), 0.0, name + "'s stored gradient stays zero");
        });
        // a step of plain gradient descent, so that the next round's copies must be refreshed to match
        params.arrays().forEach((name, a) -> a.subi(m.create(stored.get(name), a.getShape()).muli(0.5f)));
      }
    }
  }

  private static double maxAbs(float[] a) {
    double m = 0;
    for (float v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
