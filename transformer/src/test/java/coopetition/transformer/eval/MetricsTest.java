package coopetition.transformer.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.transformer.data.ItemType;
import coopetition.transformer.data.SequenceBatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

  /** A batch of ctx-2 sequences with the given (label, label, target) triples; features are irrelevant. */
  static SequenceBatch batch(int[][] labels) {
    int n = labels.length;
    int[] lab = new int[n * 3];
    int[] types = new int[n * 3];
    for (int i = 0; i < n; i++) {
      System.arraycopy(labels[i], 0, lab, i * 3, 3);
      types[i * 3 + 2] = ItemType.QUERY;
    }
    return new SequenceBatch(n, 3, 1, new float[n * 3], lab, lab.clone(), new int[n * 3], types);
  }

  static double lse(double... z) {
    double s = 0;
    for (double v : z) {
      s += Math.exp(v);
    }
    return Math.log(s);
  }

  @Test
  void handComputedExample() {
    SequenceBatch b = batch(new int[][] {
        {1, 3, 1}, // in-context argmax is 3 (wrong)
        {0, 2, 2}, // full argmax is 1 (not in context), in-context argmax is 2 (right)
        {0, 3, 1}, // target absent from context (pure IWL)
        {7, 9, 2}, // context labels outside the 4 outputs: ignored, so every logit is masked
        {1, 1, 1}, // repeated context label: counted once
    });
    float[] logits = {
        2, 1, 0, 3,
        0, 5, 1, 0.5f,
        0, 4, 0, 0,
        1, 2, 3, 4,
        0, 2, 1, 3};
    Metrics.PerSequence m = Metrics.compute(logits, 4, b);
    assertArrayEquals(new double[] {
        lse(2, 1, 0, 3) - 1, lse(0, 5, 1, 0.5) - 1, lse(0, 4, 0, 0) - 4, lse(1, 2, 3, 4) - 3, lse(0, 2, 1, 3) - 2},
        m.loss(), 1e-9);
    assertArrayEquals(new double[] {0, 0, 1, 0, 0}, m.acc());
    assertArrayEquals(new double[] {0, 1, 0, 0, 1}, m.inContextAcc());
    assertArrayEquals(new double[] {lse(1, 3) - 1, lse(0, 1) - 1}, new double[] {m.inContextLoss()[0], m.inContextLoss()[1]}, 1e-9);
    assertEquals(1e20, m.inContextLoss()[2], 1e6, "the authors' −1e20 mask makes an absent target cost ~1e20");
    assertEquals(Math.log(4), m.inContextLoss()[3], 1e-12, "all logits −1e20: uniform softmax");
    assertEquals(0, m.inContextLoss()[4], 1e-12);
    assertArrayEquals(new double[] {Math.exp(1) / (Math.exp(1) + Math.exp(3)), Math.E / (1 + Math.E), 0, 0.25, 1},
        m.inContextProb(), 1e-9);

    Map<String, Double> means = Metrics.means("flip", m);
    assertEquals(List.of("flip_loss", "flip_acc", "flip_in_context_acc", "flip_in_context_loss", "flip_in_context_prob"),
        List.copyOf(means.keySet()));
    assertEquals(0.2, means.get("flip_acc"), 1e-12);
    assertEquals(0.4, means.get("flip_in_context_acc"), 1e-12);
  }

  @Test
  void stableForHugeLogitsAndTiesGoToTheLowestIndex() {
    SequenceBatch b = batch(new int[][] {{2, 1, 1}, {0, 1, 1}});
    float[] logits = {1000, 1000, 1000};
    Metrics.PerSequence m = Metrics.compute(logits, 3, b.slice(0, 1));
    assertEquals(Math.log(3), m.loss()[0], 1e-9);
    assertEquals(0, m.acc()[0], "tie among 0,1,2 → argmax 0");
    assertEquals(1, m.inContextAcc()[0], "tie among context labels {1,2} → 1");
    assertEquals(Math.log(2), m.inContextLoss()[0], 1e-9);
    Metrics.PerSequence second = Metrics.compute(new float[] {-1000, 5, 5}, 3, b, 1, 1);
    assertEquals(1, second.inContextAcc()[0], "−1000 is still far above the mask");
    assertTrue(Double.isFinite(second.loss()[0]));
  }

  @Test
  void parallelPathMatchesSerialPerSequenceResults() {
    int n = 200;
    int c = 12_800;
    int[][] labels = new int[n][];
    for (int i = 0; i < n; i++) {
      labels[i] = new int[] {(i * 37) % c, (i * 91 + 5) % c, i % 3 == 0 ? (i * 37) % c : (i * 13) % c};
    }
    SequenceBatch b = batch(labels);
    float[] logits = new float[n * c];
    for (int k = 0; k < logits.length; k++) {
      logits[k] = (float) (3 * Math.sin(k * 0.7311));
    }
    Metrics.PerSequence whole = Metrics.compute(logits, c, b); // above the threshold: parallel blocks
    for (int i = 0; i < n; i += 17) {
      Metrics.PerSequence one = Metrics.compute(java.util.Arrays.copyOfRange(logits, i * c, (i + 1) * c), c, b, i, 1);
      for (String name : Metrics.NAMES) {
        assertEquals(one.get(name)[0], whole.get(name)[i], 0, name + " of sequence " + i);
      }
    }
  }

  @Test
  void chunksConcatenateToTheWholeAndBadShapesThrow() {
    SequenceBatch b = batch(new int[][] {{0, 1, 0}, {1, 2, 2}, {2, 0, 1}, {0, 2, 0}});
    float[] logits = new float[4 * 3];
    for (int k = 0; k < logits.length; k++) {
      logits[k] = (float) Math.sin(k * 1.7);
    }
    Metrics.PerSequence whole = Metrics.compute(logits, 3, b);
    Metrics.PerSequence parts = Metrics.PerSequence.concat(List.of(
        Metrics.compute(java.util.Arrays.copyOfRange(logits, 0, 3), 3, b, 0, 1),
        Metrics.compute(java.util.Arrays.copyOfRange(logits, 3, 12), 3, b, 1, 3)));
    for (String name : Metrics.NAMES) {
      assertArrayEquals(whole.get(name), parts.get(name), name);
    }
    assertThrows(IllegalArgumentException.class, () -> Metrics.compute(new float[5], 3, b));
    assertThrows(IllegalArgumentException.class, () -> Metrics.compute(new float[4 * 2], 2, b), "target 2 ≥ C = 2");
  }
}
