package coopetition.transformer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import coopetition.transformer.runtime.Torch;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TransformerTest {
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

  static ModelConfig tiny(PositionalEncoding pos, int mlp) {
    return new ModelConfig(6, 5, 8, 2, 2, 16, pos, 30, mlp);
  }

  static double[] randomExamples(Random r, int b, int p, int d) {
    double[] x = new double[b * p * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextGaussian();
    }
    return x;
  }

  static long[] randomLabels(Random r, int b, int p, int c) {
    long[] y = new long[b * p];
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextInt(c);
    }
    return y;
  }

  @Test
  void outputShapesAndAttentionPatterns() {
    ModelConfig c = tiny(PositionalEncoding.LEARNED, 0);
    try (NDManager m = manager.newSubManager(); Parameters p = Parameters.initialise(c, 5, m, DataType.FLOAT32)) {
      Transformer model = new Transformer(p);
      Random r = new Random(1);
      NDArray x = m.create(randomExamples(r, 4, 3, 6), new Shape(4, 3, 6)).toType(DataType.FLOAT32, false);
      NDArray y = m.create(randomLabels(r, 4, 3, 5), new Shape(4, 3));
      Transformer.Output q = model.forward(x, y, Transformer.Readout.QUERY, true);
      assertEquals(new Shape(4, 5), q.logits().getShape());
      assertEquals(2, q.attention().size());
      assertEquals(new Shape(4, 2, 5, 5), q.attention().get(0).getShape());
      // Rows are distributions over keys at or before the query row.
      float[] a = q.attention().get(1).toFloatArray();
      for (int row = 0; row < 4 * 2 * 5; row++) {
        double sum = 0;
        for (int k = 0; k < 5; k++) {
          sum += a[row * 5 + k];
          if (k > row % 5) {
            assertEquals(0, a[row * 5 + k], "attention to a later token");
          }
        }
        assertEquals(1, sum, 1e-5);
      }
      Transformer.Output all = model.forward(x, y, Transformer.Readout.ALL_EXEMPLARS, false);
      assertEquals(new Shape(4, 3, 5), all.logits().getShape());
      // The query readout is the last exemplar position of the full readout.
      float[] last = all.logits().get(":, 2").toFloatArray();
      assertArrayEquals(q.logits().toFloatArray(), last, 1e-5f);
    }
  }

  @Test
  void paperModelHasTheAuthorsParameterCount() {
    try (NDManager m = manager.newSubManager();
        Parameters p = Parameters.initialise(ModelConfig.paper(512, 12800), 5, m, DataType.FLOAT32)) {
      assertEquals(1_719_232, p.count());
    }
  }

  @Test
  void initialisationHasTheAuthorsScales() {
    try (NDManager m = manager.newSubManager();
        Parameters p = Parameters.initialise(ModelConfig.paper(512, 2000), 5, m, DataType.FLOAT32)) {
      // lecun_normal: variance 1/fan_in after truncation correction.
      assertEquals(1.0 / 512, variance(p.get("example_embed.weight").toFloatArray()), 0.05 / 512);
      assertEquals(1.0 / 64, variance(p.get("unembed.weight").toFloatArray()), 0.05 / 64);
      // Label table: 0.02 x standard normal truncated at 2 (std 0.02 x 0.8796).
      double sd = Math.sqrt(variance(p.get("label_embed.weight").toFloatArray()));
      assertEquals(0.02 * 0.87962566, sd, 0.02 * 0.03);
      float[] pos = p.get("pos_embed.weight").toFloatArray();
      for (float v : pos) {
        assertTrue(Math.abs(v) <= 1 / Math.sqrt(32));
      }
      assertEquals(0, p.get("unembed.bias").abs().sum().getFloat());
    }
  }

  /** Overwrites a parameter in place (NDArray.set would swap its storage for a Java buffer). */
  static void assign(NDArray param, double[] values) {
    try (NDArray src = param.getManager().create(values, param.getShape())) {
      param.muli(0).addi(src);
    }
  }

  static double variance(float[] v) {
    double s = 0;
    double s2 = 0;
    for (float f : v) {
      s += f;
      s2 += (double) f * f;
    }
    double mean = s / v.length;
    return s2 / v.length - mean * mean;
  }

  @ParameterizedTest
  @EnumSource(PositionalEncoding.class)
  void laterTokensNeverChangeEarlierOutputs(PositionalEncoding pos) {
    ModelConfig c = tiny(pos, 2);
    try (NDManager m = manager.newSubManager(); Parameters p = Parameters.initialise(c, 3, m, DataType.FLOAT64)) {
      Transformer model = new Transformer(p);
      Random r = new Random(2);
      double[] xs = randomExamples(r, 2, 4, 6);
      long[] ys = randomLabels(r, 2, 4, 5);
      double[] before = model.forward(m.create(xs, new Shape(2, 4, 6)), m.create(ys, new Shape(2, 4)),
          Transformer.Readout.ALL_EXEMPLARS, false).logits().toDoubleArray();
      // Change exemplar 3 (the query) and label 2: outputs at exemplars 0..2 must not move.
      for (int b = 0; b < 2; b++) {
        for (int k = 0; k < 6; k++) {
          xs[(b * 4 + 3) * 6 + k] += 1.5;
        }
        ys[b * 4 + 2] = (ys[b * 4 + 2] + 1) % 5;
      }
      double[] after = model.forward(m.create(xs, new Shape(2, 4, 6)), m.create(ys, new Shape(2, 4)),
          Transformer.Readout.ALL_EXEMPLARS, false).logits().toDoubleArray();
      boolean queryMoved = false;
      for (int b = 0; b < 2; b++) {
        for (int e = 0; e < 4; e++) {
          for (int k = 0; k < 5; k++) {
            int i = (b * 4 + e) * 5 + k;
            if (e < 3) {
              assertEquals(before[i], after[i], 0.0, "exemplar " + e + " saw a later token");
            } else if (before[i] != after[i]) {
              queryMoved = true;
            }
          }
        }
      }
      assertTrue(queryMoved, "the query output must depend on the query");
    }
  }

  @ParameterizedTest
  @EnumSource(PositionalEncoding.class)
  void gradientsMatchFiniteDifferences(PositionalEncoding pos) {
    ModelConfig c = tiny(pos, 2);
    try (NDManager m = manager.newSubManager(); Parameters p = Parameters.initialise(c, 7, m, DataType.FLOAT64)) {
      Transformer model = new Transformer(p);
      Random r = new Random(3);
      NDArray x = m.create(randomExamples(r, 3, 3, 6), new Shape(3, 3, 6));
      NDArray y = m.create(randomLabels(r, 3, 3, 5), new Shape(3, 3));
      NDArray target = m.create(new long[] {1, 4, 0}, new Shape(3, 1));
      double[] weights = randomExamples(new Random(4), 1, 3, 5);
      NDArray w = m.create(weights, new Shape(3, 5));
      java.util.function.Supplier<NDArray> loss = () -> {
        NDArray logits = model.queryLogits(x, y);
        // A generic scalar of the logits (cross-entropy plus a random linear term) exercises every path.
        return logits.logSoftmax(-1).gather(target, 1).neg().mean().add(logits.mul(w).sum());
      };
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(loss.get());
      }
      for (String name : List.copyOf(p.arrays().keySet())) {
        NDArray param = p.get(name);
        double[] grad = param.getGradient().toDoubleArray();
        double[] values = param.toDoubleArray();
        Random pick = new Random(name.hashCode());
        for (int trial = 0; trial < 3; trial++) {
          int i = pick.nextInt(values.length);
          double h = 1e-6;
          double[] plus = values.clone();
          plus[i] += h;
          double[] minus = values.clone();
          minus[i] -= h;
          assign(param, plus);
          double fp = loss.get().getDouble();
          assign(param, minus);
          double fm = loss.get().getDouble();
          assign(param, values);
          double numeric = (fp - fm) / (2 * h);
          assertEquals(numeric, grad[i], 1e-6 + 1e-5 * Math.abs(numeric), name + "[" + i + "]");
        }
      }
    }
  }
}
