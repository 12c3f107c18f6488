package coopetition.transformer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import coopetition.transformer.runtime.Torch;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hand-written backward gives autograd's loss and gradients, up to float rounding. */
class TapeFreeStepTest {

  @ParameterizedTest(name = "d_model {0}, heads {1}, depth {2}, {3}, batch {4}")
  @CsvSource({"16, 8, 2, LEARNED, 16", "64, 8, 2, LEARNED, 33", "12, 2, 3, SINUSOIDAL, 9", "32, 4, 1, LEARNED, 5"})
  void givesAutogradsLossAndGradients(int d, int heads, int depth, PositionalEncoding positional, int b) {
    ModelConfig c = new ModelConfig(6, 11, d, heads, depth, 16, positional, 30, 0);
    assertTrue(TapeFreeStep.serves(c));
    int pairs = 3;
    Random r = new Random(d + depth);
    try (NDManager m = Torch.newManager(ai.djl.Device.cpu());
        Parameters params = Parameters.initialise(c, 7, m, DataType.FLOAT32);
        TapeFreeStep step = new TapeFreeStep(c, m)) {
      // the biases and gains away from their initial 0 and 1, so that every term of the backward counts
      params.arrays().forEach((name, a) -> {
        if (name.endsWith("bias") || name.endsWith("beta") || name.endsWith("gamma")) {
          float[] v = a.toFloatArray();
          for (int i = 0; i < v.length; i++) {
            v[i] += (float) (0.3 * r.nextGaussian());
          }
          Parameters.assign(a, v);
        }
      });
      float[] examples = new float[b * pairs * 6];
      for (int i = 0; i < examples.length; i++) {
        examples[i] = (float) r.nextGaussian();
      }
      int[] labels = new int[b * pairs];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = r.nextInt(11);
      }
      Transformer model = new Transformer(params);
      Map<String, float[]> want = new LinkedHashMap<>();
      float wantLoss;
      try (NDManager sm = m.newSubManager(); GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray x = sm.create(examples, new Shape(b, pairs, 6));
        NDArray y = HostArrays.longs(sm, labels, new Shape(b, pairs));
        NDArray loss = model.queryLogits(x, y).logSoftmax(-1).gather(y.get(":, -1:"), 1).neg().mean();
        gc.backward(loss);
        wantLoss = loss.getFloat();
        params.arrays().forEach((name, a) -> want.put(name, a.getGradient().toFloatArray()));
      }
      for (int round = 0; round < 2; round++) { // the step's kept arrays are reused
        try (NDManager sm = m.newSubManager()) {
          TapeFreeStep.Result got = step.step(params, sm, examples, labels, b, pairs, 6, b);
          assertEquals(wantLoss, got.loss(), 1e-5 * Math.abs(wantLoss));
          assertEquals(want.keySet(), got.gradients().keySet());
          for (Map.Entry<String, float[]> e : want.entrySet()) {
            float[] g = got.gradients().get(e.getKey()).toFloatArray();
            float[] w = e.getValue();
            double scale = 0;
            for (float v : w) {
              scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 0 || e.getKey().startsWith("pos_embed"), e.getKey() + " has a gradient");
            assertEquals(w.length, g.length, e.getKey());
            for (int i = 0; i < w.length; i++) {
              assertEquals(w[i], g[i], 2e-4 * scale + 1e-7, e.getKey() + "[" + i + "]");
            }
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "mlp_ratio {0}, {1}, head width {2}")
  @CsvSource({"4, LEARNED, 8", "0, ROTARY, 8", "0, LEARNED, 3"})
  void servesOnlyAttentionOnlyModelsWithoutRotaryPositions(int mlp, PositionalEncoding positional, int headDim) {
    ModelConfig c = new ModelConfig(6, 11, 2 * headDim, 2, 2, 16, positional, 30, mlp);
    assertFalse(TapeFreeStep.serves(c));
  }
}
