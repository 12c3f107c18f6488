package coopetition.transformer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The FLOP count of a step against a count by hand. */
class StepCostTest {

  // D 3 inputs, C 5 classes, d 4, 2 heads, 1 layer; batch 2 of 2 pairs -> T = 3 tokens, 6 token rows.
  private static final ModelConfig TINY = new ModelConfig(3, 5, 4, 2, 1, 8, PositionalEncoding.LEARNED, 30, 0);

  @Test
  void tinyAttentionOnlyModelMatchesAHandCount() {
    StepCost c = StepCost.of(TINY, 2, 2, 173);
    assertEquals(2 * 4 * 3 * 4 * 2, c.embedding(), "4 exemplar rows x [3 x 4], forward + weight gradient");
    assertEquals(2 * 6 * 4 * 12 * 3, c.qkv(), "6 token rows x [4 x 12], forward + 2 backward");
    assertEquals((2 * 6 * 4 * 3 + 2 * 6 * 3 * 4) * 3, c.attention(), "q.k^T and pattern.v over both heads");
    assertEquals(2 * 6 * 4 * 4 * 3, c.output());
    assertEquals(0, c.mlp());
    assertEquals(2 * 2 * 4 * 5 * 3, c.unembedding(), "only the 2 query rows reach the unembedding");
    // LayerNorm: 6 token rows (ln1) + 2 query rows (ln_final) of 4, 8 FLOPs each;
    // softmax: 1 layer x 2 seqs x 2 heads x 3 x 3 scores + 2 x 5 logits, 5 FLOPs each; backward the same.
    assertEquals(2 * ((6 + 2) * 4 * 8 + (2 * 2 * 3 * 3 + 2 * 5) * 5), c.softmaxish());
    assertEquals(4572, c.flops());
    assertEquals(173 * 28, c.adamBytes(), "w, g, m, v read and w, m, v written, 4 bytes each");
    assertEquals(4572 / 1e9 + 173 * 28 / 2e9, c.floorSeconds(1, 2), 1e-18);
  }

  @Test
  void anMlpAddsTwoMatmulsAndASecondLayerNormPerLayer() {
    ModelConfig mlp = new ModelConfig(3, 5, 4, 2, 1, 8, PositionalEncoding.LEARNED, 30, 2);
    StepCost c = StepCost.of(mlp, 2, 2, 0);
    assertEquals((2 * 6 * 4 * 8 + 2 * 6 * 8 * 4) * 3, c.mlp());
    assertEquals(2 * ((6 + 6 + 2) * 4 * 8 + (2 * 2 * 3 * 3 + 2 * 5) * 5), c.softmaxish());
  }

  @Test
  void theQuickModelCostsAboutThreeAndAHalfMegaflopsASequenceMostlyTheUnembedding() {
    StepCost c = StepCost.of(ModelConfig.paper(64, 6144), 32, 3, 831_936);
    double perSequence = c.flops() / 32.0;
    assertTrue(perSequence > 3.3e6 && perSequence < 3.6e6, "FLOPs per sequence " + perSequence);
    assertTrue(c.unembedding() > 0.6 * c.flops(), "unembedding share " + (double) c.unembedding() / c.flops());
  }
}
