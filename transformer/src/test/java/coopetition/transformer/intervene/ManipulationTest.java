package coopetition.transformer.intervene;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import coopetition.common.UserInputException;
import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.eval.Metrics;
import coopetition.transformer.intervene.Manipulation.AblateEmbedding;
import coopetition.transformer.intervene.Manipulation.ClampLabelDelta;
import coopetition.transformer.intervene.Manipulation.Combined;
import coopetition.transformer.intervene.Manipulation.Embedding;
import coopetition.transformer.intervene.Manipulation.ForcePattern;
import coopetition.transformer.intervene.Manipulation.KeepOnlyHeads;
import coopetition.transformer.intervene.Manipulation.Kept;
import coopetition.transformer.intervene.Manipulation.Pattern;
import coopetition.transformer.intervene.Manipulation.Preserve;
import coopetition.transformer.intervene.Manipulation.RescaleTemperature;
import coopetition.transformer.mech.Network;
import coopetition.transformer.model.HeadRef;
import coopetition.transformer.model.HookPoint;
import coopetition.transformer.model.HookPoint.Site;
import coopetition.transformer.model.Hooks;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.model.PositionalEncoding;
import coopetition.transformer.model.Transformer;
import coopetition.transformer.runtime.Torch;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each manipulation does what it says on a tiny random network, and bad input is one line naming the field. */
class ManipulationTest {
  static final ModelConfig CONFIG = new ModelConfig(6, 5, 16, 4, 2, 16, PositionalEncoding.LEARNED, 30, 0);
  static Network net;
  static SequenceBatch batch;

  @BeforeAll
  static void setUp() {
    Torch.configure(1);
    net = new Network(CONFIG);
    batch = ciwlLike(new Random(3), 12);
  }

  @AfterAll
  static void tearDown() {
    net.close();
  }

  /** Context of 2 pairs holding the target label once and another label once, in random order. */
  static SequenceBatch ciwlLike(Random r, int n) {
    int pairs = 3;
    float[] x = new float[n * pairs * 6];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    int[] labels = new int[n * pairs];
    for (int i = 0; i < n; i++) {
      int target = r.nextInt(5);
      int other = (target + 1 + r.nextInt(4)) % 5;
      boolean first = r.nextBoolean();
      labels[i * pairs] = first ? target : other;
      labels[i * pairs + 1] = first ? other : target;
      labels[i * pairs + 2] = target;
    }
    int[] zeros = new int[n * pairs];
    return new SequenceBatch(n, pairs, 6, x, labels, labels.clone(), zeros, zeros.clone());
  }

  /** Logits and the cached hook points of one pass with {@code m}. */
  static float[][] pass(Manipulation m, HookPoint... read) {
    try (NDManager sm = net.scope()) {
      NDArray x = sm.create(batch.examples(), new Shape(batch.size(), 3, 6));
      NDArray y = sm.create(batch.labels(), new Shape(batch.size(), 3)).toType(DataType.INT64, false);
      var clean = net.model().forward(x, y, Transformer.Readout.QUERY, false,
          Hooks.NONE.cache(m.needsClean(CONFIG).toArray(HookPoint[]::new))).cache();
      Hooks hooks = m.apply(Hooks.NONE.cache(read), new Manipulation.Batch(CONFIG, LabelTokens.of(batch), clean));
      Transformer.Output out = net.model().forward(x, y, Transformer.Readout.QUERY, false, hooks);
      float[][] res = new float[read.length + 1][];
      res[0] = out.logits().toFloatArray();
      for (int i = 0; i < read.length; i++) {
        res[i + 1] = out.cache().get(read[i]).toFloatArray();
      }
      return res;
    }
  }

  static float at(float[] pattern, int seq, int head, int row, int col) {
    int t = 5;
    return pattern[((seq * CONFIG.numHeads() + head) * t + row) * t + col];
  }

  @Test
  void noneAndNeutralSettingsChangeNothing() {
    float[] clean = pass(new Manipulation.None())[0];
    assertArrayEquals(clean, pass(new ForcePattern(new HeadRef(0, 1), Pattern.PREV_TOKEN, 0))[0], 0f);
    assertArrayEquals(clean, pass(new ForcePattern(new HeadRef(1, 1), Pattern.INDUCTION, 0))[0], 0f);
    assertArrayEquals(clean, pass(new RescaleTemperature(new HeadRef(1, 2), 1))[0], 0f);
    List<HeadRef> all = List.of(new HeadRef(1, 0), new HeadRef(1, 1), new HeadRef(1, 2), new HeadRef(1, 3));
    assertArrayEquals(clean, pass(new KeepOnlyHeads(all))[0], 0f);
    assertNotEquals(clean[0], pass(new KeepOnlyHeads(List.of(new HeadRef(1, 0))))[0][0]);
  }

  @Test
  void clampPutsTheDeltaOnTheCorrectAndIncorrectLabelTokensOfOneHeadOnly() {
    HookPoint p = HookPoint.of(Site.PATTERN, 1);
    float[] clean = pass(new Manipulation.None(), p)[1];
    float[] clamped = pass(new ClampLabelDelta(new HeadRef(1, 2), 0.6), p)[1];
    LabelTokens t = LabelTokens.of(batch);
    for (int i = 0; i < batch.size(); i++) {
      assertEquals(0.8f, at(clamped, i, 2, 4, t.correct()[i]), 1e-6);
      assertEquals(0.2f, at(clamped, i, 2, 4, t.incorrect()[i]), 1e-6);
      assertEquals(0f, at(clamped, i, 2, 4, 0), 0f);
      assertEquals(at(clean, i, 1, 4, 0), at(clamped, i, 1, 4, 0), 0f, "other heads keep their rows");
      assertEquals(at(clean, i, 2, 3, 1), at(clamped, i, 2, 3, 1), 0f, "other rows stay");
    }
  }

  @Test
  void forcedPatternsAtFullStrengthAreExactlyThePattern() {
    HookPoint p0 = HookPoint.of(Site.PATTERN, 0);
    float[] prev = pass(new ForcePattern(new HeadRef(0, 3), Pattern.PREV_TOKEN, 1), p0)[1];
    for (int i = 0; i < batch.size(); i++) {
      assertEquals(1f, at(prev, i, 3, 0, 0), 0f);
      for (int row = 1; row < 5; row++) {
        assertEquals(1f, at(prev, i, 3, row, row - 1), 0f);
      }
    }
    HookPoint p1 = HookPoint.of(Site.PATTERN, 1);
    float[] half = pass(new ForcePattern(new HeadRef(1, 0), Pattern.INDUCTION, 0.5), p1)[1];
    float[] clean = pass(new Manipulation.None(), p1)[1];
    LabelTokens t = LabelTokens.of(batch);
    for (int i = 0; i < batch.size(); i++) {
      int c = t.correct()[i];
      assertEquals(0.5 * at(clean, i, 0, 4, c) + 0.5, at(half, i, 0, 4, c), 1e-6);
    }
  }

  @Test
  void highTemperatureFlattensAHeadsPattern() {
    HookPoint p = HookPoint.of(Site.PATTERN, 1);
    float[] flat = pass(new RescaleTemperature(new HeadRef(1, 1), 1e6), p)[1];
    for (int col = 0; col < 5; col++) {
      assertEquals(0.2f, at(flat, 0, 1, 4, col), 1e-5);
    }
  }

  @Test
  void preservingPatternsWhileAblatingTheLabelEmbeddingKeepsEveryCleanPattern() {
    HookPoint p0 = HookPoint.of(Site.PATTERN, 0);
    HookPoint p1 = HookPoint.of(Site.PATTERN, 1);
    float[][] clean = pass(new Manipulation.None(), p0, p1);
    Manipulation ablate = new AblateEmbedding(Embedding.LABEL);
    float[][] ablated = pass(ablate, p0, p1);
    float[][] kept = pass(new Preserve(ablate, Set.of(Kept.PATTERNS)), p0, p1);
    assertFalse(java.util.Arrays.equals(clean[2], ablated[2]), "ablating changes the Layer-2 patterns");
    assertArrayEquals(clean[1], kept[1], 0f);
    assertArrayEquals(clean[2], kept[2], 0f);
    assertFalse(java.util.Arrays.equals(clean[0], kept[0]), "the values still see the ablation");
  }

  @Test
  void evaluateWithNoManipulationMatchesTheCheckpointEval() {
    Metrics.PerSequence plain = coopetition.transformer.mech.CheckpointEval.perSequence(net, batch);
    Metrics.PerSequence none = Interventions.evaluate(net, batch, new Manipulation.None());
    assertArrayEquals(plain.get(Metrics.LOSS), none.get(Metrics.LOSS), 0);
  }

  @Test
  void badInputIsOneLineNamingTheField() {
    UserInputException head = assertThrows(UserInputException.class,
        () -> Interventions.evaluate(net, batch, new KeepOnlyHeads(List.of(new HeadRef(1, 9)))));
    assertEquals("heads", head.field().orElseThrow());
    assertTrue(head.getMessage().contains("1:9") && !head.getMessage().contains("\n"), head.getMessage());
    assertEquals("strength", assertThrows(UserInputException.class,
        () -> new ForcePattern(new HeadRef(0, 0), Pattern.PREV_TOKEN, 1.5)).field().orElseThrow());
    assertEquals("delta", assertThrows(UserInputException.class,
        () -> new ClampLabelDelta(new HeadRef(1, 0), -2)).field().orElseThrow());
    assertEquals("temperature", assertThrows(UserInputException.class,
        () -> new RescaleTemperature(new HeadRef(1, 0), 0)).field().orElseThrow());
    Manipulation keep = new KeepOnlyHeads(List.of(new HeadRef(1, 0)));
    assertEquals("preserve", assertThrows(UserInputException.class,
        () -> new Preserve(keep, Set.of(Kept.VALUES)).check(CONFIG)).field().orElseThrow());
    assertEquals(HookPoint.FIELD, assertThrows(UserInputException.class, () -> new Combined(List.of(
        new ClampLabelDelta(new HeadRef(1, 0), 0), new ForcePattern(new HeadRef(1, 1), Pattern.INDUCTION, 1))).check(CONFIG))
        .field().orElseThrow());
  }
}
