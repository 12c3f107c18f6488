package coopetition.transformer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import coopetition.common.UserInputException;
import coopetition.transformer.config.Settings;
import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.data.SequenceSampler;
import coopetition.transformer.data.Splits;
import coopetition.transformer.model.HookPoint;
import coopetition.transformer.model.Hooks;
import coopetition.transformer.model.Transformer;
import coopetition.transformer.runtime.Torch;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code forbid=prev_token_l1}: Layer 1 never attends to the previous token, in training and after it; resume stays exact. */
class ForbidTrainingTest {
  static Settings forbidding() {
    return TrainingRunTest.tiny().with("forbid", "prev_token_l1").with("train_seqs", "480");
  }

  /** Largest Layer-1 attention to the previous token over a training batch, after {@code steps} steps. */
  static double maxPreviousTokenAttention(Settings s, int steps) {
    TrainConfig c = TrainConfig.from(s);
    FeatureBank bank = TrainingRun.openBank(c);
    Splits splits = TrainingRun.splits(c, bank);
    try (Trainer t = new Trainer(c, bank, splits)) {
      SequenceSampler sampler = SequenceSampler.forTraining(bank, splits, c.sampler(splits.numTrainClasses()));
      for (int k = 0; k < steps; k++) {
        t.trainStep(sampler.sample(k + 11, c.schedule().batch()));
      }
      SequenceBatch b = sampler.sample(999, 16);
      HookPoint p = HookPoint.of(HookPoint.Site.PATTERN, 0);
      try (NDManager m = t.parameters().manager().newSubManager()) {
        NDArray x = m.create(b.examples(), new Shape(b.size(), b.pairs(), b.dim()));
        NDArray y = m.create(b.labels(), new Shape(b.size(), b.pairs())).toType(DataType.INT64, false);
        float[] pat = t.model().forward(x, y, Transformer.Readout.QUERY, false, t.hooks().cache(p)).cache().get(p)
            .toFloatArray();
        int tokens = 2 * b.pairs() - 1;
        double max = 0;
        for (int r = 0; r < pat.length / (tokens * tokens); r++) {
          for (int i = 1; i < tokens; i++) {
            max = Math.max(max, pat[(r * tokens + i) * tokens + i - 1]);
          }
        }
        return max;
      }
    }
  }

  @Test
  void previousTokenAttentionInLayer1IsExactlyZeroThroughoutTraining() {
    assertEquals(0.0, maxPreviousTokenAttention(forbidding(), 0), 0.0);
    assertEquals(0.0, maxPreviousTokenAttention(forbidding(), 30), 0.0);
    assertTrue(maxPreviousTokenAttention(TrainingRunTest.tiny(), 30) > 0.05, "the unconstrained model does use it");
  }

  @Test
  void withoutForbidTheTrainerRunsThePlainPass() {
    TrainConfig c = TrainConfig.from(TrainingRunTest.tiny());
    FeatureBank bank = TrainingRun.openBank(c);
    try (Trainer t = new Trainer(c, bank, TrainingRun.splits(c, bank))) {
      assertSame(Hooks.NONE, t.hooks(), "no hook: the forward pass hands every value straight on");
    }
  }

  @Test
  void aForbiddingRunDiffersFromAPlainOneAndResumesExactly(@TempDir Path tmp) throws Exception {
    String plain = TrainingRunTest.runTo(TrainingRunTest.tiny().with("train_seqs", "480"), tmp.resolve("plain"),
        TrainingRun.Start.fresh(), () -> false);
    String straight = TrainingRunTest.runTo(forbidding(), tmp.resolve("straight"), TrainingRun.Start.fresh(), () -> false);
    assertNotEquals(plain, straight);
    // Its stored checkpoint, evaluated as ./coop eval does, gives back the run's last metrics row exactly:
    // the stored run's network applies the same forbid rule (a plain network would not).
    coopetition.transformer.mech.StoredRun stored0 = coopetition.transformer.mech.StoredRun.open(tmp.resolve("straight"));
    MetricsLog log = MetricsLog.read(tmp.resolve("straight").resolve(TrainingRun.METRICS));
    int last = log.rows().size() - 1;
    Weights w = coopetition.transformer.mech.StoredRun.weights(stored0.last());
    try (coopetition.transformer.mech.Network net = stored0.network();
        coopetition.transformer.mech.Network bare = new coopetition.transformer.mech.Network(stored0.model())) {
      java.util.Map<String, Double> m = coopetition.transformer.mech.CheckpointEval.evaluate(net.load(w, "forbid"), stored0.suite());
      for (java.util.Map.Entry<String, Double> e : m.entrySet()) {
        assertEquals(log.column(e.getKey())[last], e.getValue(), 0.0, e.getKey());
      }
      assertNotEquals(m, coopetition.transformer.mech.CheckpointEval.evaluate(bare.load(w, "bare"), stored0.suite()));
    }
    AtomicInteger checks = new AtomicInteger();
    Path dir = tmp.resolve("resumed");
    TrainingRunTest.runTo(forbidding(), dir, TrainingRun.Start.fresh(), () -> checks.incrementAndGet() > 37);
    Path ckpt = dir.resolve(TrainingRun.CHECKPOINT);
    TrainConfig stored = Checkpoint.read(ckpt).config(ckpt);
    assertEquals("prev_token_l1", stored.forbid().text());
    assertEquals(straight, TrainingRunTest.runTo(stored, dir, new TrainingRun.Start(ckpt, null, false), () -> false));
  }

  @Test
  void aForbiddenLayerTheModelLacksIsOneLine() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> TrainConfig.from(TrainingRunTest.tiny().with("forbid", "prev_token_l3")));
    assertEquals("forbid", e.field().orElseThrow());
    assertEquals("forbid", assertThrows(UserInputException.class,
        () -> TrainConfig.from(TrainingRunTest.tiny().with("forbid", "induction_l1"))).field().orElseThrow());
  }
}
