package coopetition.transformer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import coopetition.transformer.config.Settings;
import coopetition.transformer.config.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end runs on a tiny model: determinism, exact resume, learning, bad checkpoints. */
class TrainingRunTest {

  /** 16 classes of 8-d synthetic features, a 2-block width-16 model, 120 steps of 8. */
  static Settings tiny() {
    return Settings.defaults().withAll(java.util.Map.ofEntries(
        java.util.Map.entry("classes", "16"), java.util.Map.entry("exemplars", "4"), java.util.Map.entry("dim", "8"),
        java.util.Map.entry("d_model", "16"), java.util.Map.entry("heads", "2"), java.util.Map.entry("lr", "3e-3"),
        java.util.Map.entry("batch", "8"), java.util.Map.entry("train_seqs", "960"), java.util.Map.entry("eval_every", "240"),
        java.util.Map.entry("eval_seqs", "40"), java.util.Map.entry("ckpt_every", "0"), java.util.Map.entry("threads", "1")));
  }

  static String runTo(Settings s, Path dir, TrainingRun.Start start, java.util.function.BooleanSupplier stop) throws Exception {
    new TrainingRun(TrainConfig.from(s), dir, "test").run(start, stop, false);
    return Files.readString(dir.resolve(TrainingRun.METRICS));
  }

  static String runTo(TrainConfig c, Path dir, TrainingRun.Start start, java.util.function.BooleanSupplier stop) throws Exception {
    new TrainingRun(c, dir, "test").run(start, stop, false);
    return Files.readString(dir.resolve(TrainingRun.METRICS));
  }

  @Test
  void sameSeedsGiveIdenticalMetricsAndOtherSeedsDoNot(@TempDir Path tmp) throws Exception {
    String a = runTo(tiny(), tmp.resolve("a"), TrainingRun.Start.fresh(), () -> false);
    String b = runTo(tiny(), tmp.resolve("b"), TrainingRun.Start.fresh(), () -> false);
    String c = runTo(tiny().with("init_seed", "7"), tmp.resolve("c"), TrainingRun.Start.fresh(), () -> false);
    assertEquals(a, b);
    assertNotEquals(a, c);
    // 4 scheduled evals (0, 240, 480, 720) plus the final one at 960.
    assertEquals(6, a.split("\n").length);
    assertTrue(Files.exists(tmp.resolve("a/curves.png")));
    assertTrue(Files.exists(tmp.resolve("a/config.json")));
    // The curves are redrawn at most every 30 s while training, and at the end: the figure shows every eval.
    String drawn = Files.readString(tmp.resolve("a/curves.svg"));
    TrainingRun.replot(tmp.resolve("a"), java.util.Set.of(coopetition.figures.FigureWriter.Format.SVG));
    assertEquals(Files.readString(tmp.resolve("a/curves.svg")), drawn);
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "workers={0}, kernels={1}")
  @org.junit.jupiter.params.provider.CsvSource({"1, libtorch", "2, libtorch", "1, java", "2, java"})
  void interruptedAndResumedRunMatchesAStraightRunExactly(String workers, String core, @TempDir Path tmp) throws Exception {
    Settings s = tiny().with("workers", workers).with("kernels", core);
    String straight = runTo(s, tmp.resolve("straight"), TrainingRun.Start.fresh(), () -> false);
    assertTrue(Files.readString(tmp.resolve("straight").resolve(TrainingRun.CONFIG))
        .contains("\"kernels_used\" : \"" + core + "\""), "config.json records the kernels that ran");
    // Stop before step 67 (mid-interval, so the running train-loss sum must survive too).
    AtomicInteger checks = new AtomicInteger();
    Path dir = tmp.resolve("resumed");
    runTo(s, dir, TrainingRun.Start.fresh(), () -> checks.incrementAndGet() > 67);
    Path ckpt = dir.resolve(TrainingRun.CHECKPOINT);
    assertEquals(67, Checkpoint.read(ckpt).state().step());
    String resumed = runTo(Checkpoint.read(ckpt).config(ckpt), dir, new TrainingRun.Start(ckpt, null, false), () -> false);
    assertEquals(straight, resumed);
  }

  @Test
  void anExplodingRunIsFlaggedAndItsFlagSurvivesAnInterruptionMidInterval(@TempDir Path tmp) throws Exception {
    Settings s = tiny().with("lr", "50"); // finite but huge losses (about 1e4 on this model), never NaN here
    java.util.List<String> warnings = new java.util.ArrayList<>();
    new TrainingRun(TrainConfig.from(s), tmp.resolve("straight"), "test").withWarnings(warnings::add)
        .run(TrainingRun.Start.fresh(), () -> false, false);
    assertEquals(1, warnings.size(), warnings.toString());
    String straight = Files.readString(tmp.resolve("straight").resolve(TrainingRun.METRICS));
    assertTrue(straight.lines().skip(2).allMatch(l -> l.endsWith(",1")), straight);
    // Stop right after the first exploding step (step 1), mid-interval: the flag must come back on resume.
    AtomicInteger checks = new AtomicInteger();
    Path dir = tmp.resolve("resumed");
    runTo(s, dir, TrainingRun.Start.fresh(), () -> checks.incrementAndGet() > 2);
    Path ckpt = dir.resolve(TrainingRun.CHECKPOINT);
    assertTrue(Checkpoint.read(ckpt).state().lossExploded());
    assertEquals(straight, runTo(Checkpoint.read(ckpt).config(ckpt), dir, new TrainingRun.Start(ckpt, null, false),
        () -> false));
  }

  /**
   * Garbage collection must not change a run. It did: DJL's {@code x.mul(constant)} left autograd holding
   * a tensor over a Java buffer that a collection could free before backward read it (model.Scalars),
   * which is why identical runs sometimes differed under load. Collecting in a loop beside the run made
   * every such run differ from a quiet one by step 30; now they agree.
   */
  @Test
  void garbageCollectionDuringARunDoesNotChangeIt(@TempDir Path tmp) throws Exception {
    Settings s = tiny().with("train_seqs", "480").with("workers", "2"); // workers=2 also divides by a constant
    for (String mlp : new String[] {"0", "2"}) { // the MLP's tanh-GELU multiplies by constants too
      Settings c = s.with("mlp_ratio", mlp);
      String quiet = runTo(c, tmp.resolve("quiet" + mlp), TrainingRun.Start.fresh(), () -> false);
      java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
      Thread collector = new Thread(() -> {
        while (!done.get()) {
          System.gc();
        }
      }, "gc-hammer");
      collector.setDaemon(true);
      collector.start();
      try {
        assertEquals(quiet, runTo(c, tmp.resolve("collected" + mlp), TrainingRun.Start.fresh(), () -> false), "mlp " + mlp);
      } finally {
        done.set(true);
        collector.join();
      }
    }
  }

  @Test
  void lossFallsOnATinyRun(@TempDir Path tmp) throws Exception {
    MetricsLog log = new TrainingRun(TrainConfig.from(tiny()), tmp, "t").run(TrainingRun.Start.fresh(), () -> false, false);
    double[] loss = log.column("train_eval_loss");
    assertTrue(loss[loss.length - 1] < loss[0] - 0.5, "train_eval loss " + loss[0] + " -> " + loss[loss.length - 1]);
    double[] trainLoss = log.column("train_loss");
    assertTrue(Double.isNaN(trainLoss[0]));
    assertTrue(trainLoss[trainLoss.length - 1] < Math.log(16));
  }

  @Test
  void weightDecayPenaltyKeepsTrainingFiniteAndShrinksWeights(@TempDir Path tmp) throws Exception {
    // Biases start at exactly 0, where the gradient of an unsquared norm is 0/0 unless guarded.
    Settings s = tiny().with("train_seqs", "240").with("weight_decay", "0.05");
    MetricsLog decayed = new TrainingRun(TrainConfig.from(s), tmp.resolve("wd"), "t")
        .run(TrainingRun.Start.fresh(), () -> false, false);
    for (double[] row : decayed.rows()) {
      for (int i = 3; i < row.length; i++) {
        assertTrue(Double.isFinite(row[i]) || row[i] > 1e19, "non-finite metric in column " + decayed.columns().get(i));
      }
    }
    double wd = Checkpoint.read(tmp.resolve("wd").resolve(TrainingRun.CHECKPOINT)).params().get("unembed.weight")[0];
    new TrainingRun(TrainConfig.from(tiny().with("train_seqs", "240")), tmp.resolve("plain"), "t")
        .run(TrainingRun.Start.fresh(), () -> false, false);
    float[] plain = Checkpoint.read(tmp.resolve("plain").resolve(TrainingRun.CHECKPOINT)).params().get("unembed.weight");
    float[] decayedW = Checkpoint.read(tmp.resolve("wd").resolve(TrainingRun.CHECKPOINT)).params().get("unembed.weight");
    assertTrue(Double.isFinite(wd));
    assertTrue(norm(decayedW) < norm(plain), "penalty must shrink the unembedding: " + norm(decayedW) + " vs " + norm(plain));
  }

  static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  @Test
  void initFromCopiesParametersButStartsAtStepZero(@TempDir Path tmp) throws Exception {
    runTo(tiny(), tmp.resolve("a"), TrainingRun.Start.fresh(), () -> false);
    Path ckpt = tmp.resolve("a").resolve(TrainingRun.CHECKPOINT);
    Settings s = tiny().with("train_seqs", "240").with("eval_every", "240");
    String fromCkpt = runTo(s, tmp.resolve("b"), new TrainingRun.Start(null, ckpt, true), () -> false);
    String fresh = runTo(s, tmp.resolve("c"), TrainingRun.Start.fresh(), () -> false);
    String[] rowsFrom = fromCkpt.split("\n");
    String[] rowsA = Files.readString(tmp.resolve("a/metrics.csv")).split("\n");
    // The new run's first eval sees the checkpoint's parameters: the same eval metrics as a's final row.
    assertEquals(evalPart(rowsA[rowsA.length - 1]), evalPart(rowsFrom[1]));
    assertTrue(rowsFrom[1].startsWith("0,0,,"));
    assertNotEquals(fresh.split("\n")[1], rowsFrom[1]);
  }

  /** The eval columns of a metrics.csv row (after seqs, step, train_loss). */
  static String evalPart(String row) {
    return row.split(",", 4)[3];
  }

  @Test
  void checkpointOfAnotherModelIsOneClearLine(@TempDir Path tmp) throws Exception {
    runTo(tiny(), tmp.resolve("a"), TrainingRun.Start.fresh(), () -> false);
    Path ckpt = tmp.resolve("a").resolve(TrainingRun.CHECKPOINT);
    UserInputException e = assertThrows(UserInputException.class, () ->
        runTo(tiny().with("classes", "20"), tmp.resolve("b"), new TrainingRun.Start(null, ckpt, false), () -> false));
    assertTrue(e.getMessage().contains("label_embed.weight of shape [16, 16] but this configuration needs [20, 16]"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));

    Path junk = tmp.resolve("junk.bin");
    Files.writeString(junk, "not a checkpoint at all");
    UserInputException j = assertThrows(UserInputException.class, () -> Checkpoint.read(junk));
    assertTrue(j.getMessage().contains("is not a coopetition checkpoint"), j.getMessage());
    byte[] full = Files.readAllBytes(ckpt);
    Path cut = tmp.resolve("cut.bin");
    Files.write(cut, java.util.Arrays.copyOf(full, full.length / 2));
    UserInputException c = assertThrows(UserInputException.class, () -> Checkpoint.read(cut));
    assertTrue(c.getMessage().contains("truncated"), c.getMessage());
  }
}
