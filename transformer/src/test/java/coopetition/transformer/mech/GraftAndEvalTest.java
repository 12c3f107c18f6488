package coopetition.transformer.mech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import coopetition.transformer.train.MetricsLog;
import coopetition.transformer.train.TrainingRun;
import coopetition.transformer.train.Weights;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stored-checkpoint evaluation and grafting on a tiny run. */
class GraftAndEvalTest {
  @TempDir
  static Path tmp;
  static StoredRun run;

  @BeforeAll
  static void train() {
    run = StoredRun.open(MechTestRuns.train(MechTestRuns.tiny(), tmp.resolve("run")));
  }

  @Test
  void storedCheckpointsScoreExactlyWhatTheRunLogged() {
    MetricsLog log = MetricsLog.read(run.dir().resolve(TrainingRun.METRICS));
    double[] seqs = log.column("seqs");
    assertEquals(List.of(0L, 240L, 480L, 720L, 960L), run.history().stream().map(e -> e.seqs()).toList());
    try (Network net = new Network(run.model())) {
      for (int row = 0; row < seqs.length; row++) {
        Weights w = StoredRun.weights(run.at((long) seqs[row]));
        Map<String, Double> m = CheckpointEval.evaluate(net.load(w, "test"), run.suite());
        for (Map.Entry<String, Double> e : m.entrySet()) {
          assertEquals(log.column(e.getKey())[row], e.getValue(), 0.0, e.getKey() + " at " + seqs[row]);
        }
      }
    }
  }

  @Test
  void graftOfACheckpointWithItselfScoresExactlyThatCheckpoint() {
    Weights w = StoredRun.weights(run.at(480));
    try (Network net = new Network(run.model())) {
      Map<String, Double> plain = CheckpointEval.evaluate(net.load(w, "plain"), run.suite());
      for (int split = 0; split <= 2; split++) {
        Map<String, Double> grafted = CheckpointEval.evaluate(net.load(new Graft(split).combine(w, w), "graft"), run.suite());
        assertEquals(plain, grafted, "split after layer " + split);
      }
    }
  }

  @Test
  void graftTakesEachParameterFromItsSide() {
    Weights early = StoredRun.weights(run.at(240));
    Weights late = StoredRun.weights(run.at(960));
    Weights g = new Graft(1).checkDepth(2).combine(early, late);
    for (String name : List.of("example_embed.weight", "label_embed.weight", "pos_embed.weight", "block0.attn.qkv",
        "block0.attn.proj", "block0.ln1.gamma")) {
      assertSame(early.array(name), g.array(name), name);
    }
    for (String name : List.of("block1.attn.qkv", "block1.ln1.beta", "ln_final.gamma", "unembed.weight", "unembed.bias")) {
      assertSame(late.array(name), g.array(name), name);
    }
    assertEquals(960, g.seqs());
    try (Network net = new Network(run.model())) {
      Map<String, Double> graft = CheckpointEval.evaluate(net.load(g, "g"), run.suite());
      Map<String, Double> lateScore = CheckpointEval.evaluate(net.load(late, "late"), run.suite());
      assertNotEquals(lateScore, graft);
    }
  }

  @Test
  void badGraftsAreOneClearLine(@TempDir Path other) {
    UserInputException layer = assertThrows(UserInputException.class, () -> new Graft(3).checkDepth(2));
    assertEquals("split_after_layer", layer.field().orElseThrow());
    assertTrue(layer.problem().contains("the model has 2 layers"), layer.problem());
    assertThrows(UserInputException.class, () -> new Graft(-1));

    StoredRun wide = StoredRun.open(MechTestRuns.train(MechTestRuns.tiny().with("classes", "20").with("train_seqs", "240"),
        other.resolve("wide")));
    Weights foreign = StoredRun.weights(wide.last());
    Weights own = StoredRun.weights(run.last());
    UserInputException g = assertThrows(UserInputException.class, () -> new Graft(1).combine(foreign, own));
    assertTrue(g.getMessage().contains("label_embed.weight of shape [20, 16]"), g.getMessage());
    assertFalse(g.getMessage().contains("\n"));
    try (Network net = new Network(run.model())) {
      UserInputException load = assertThrows(UserInputException.class, () -> net.load(foreign, "checkpoint X"));
      assertTrue(load.getMessage().startsWith("checkpoint X has label_embed.weight of shape [20, 16] but this model needs [16, 16]"),
          load.getMessage());
    }
    UserInputException missing = assertThrows(UserInputException.class, () -> run.at(123));
    assertTrue(missing.getMessage().contains("no checkpoint at 123 sequences; it has 5 checkpoints: 0, 240"), missing.getMessage());
    UserInputException word = assertThrows(UserInputException.class, () -> run.select("sometimes", "checkpoints"));
    assertEquals("checkpoints", word.field().orElseThrow());
    assertEquals(List.of(240L, 960L), run.select("240,960", "checkpoints").stream().map(e -> e.seqs()).toList());
    assertEquals(List.of(960L), run.select("final", "late").stream().map(e -> e.seqs()).toList());
  }
}
