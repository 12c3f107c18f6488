package coopetition.transformer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import coopetition.transformer.config.Settings;
import coopetition.transformer.config.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint history: schedule, file naming, atomic files, and a kill followed by --resume. */
class CheckpointHistoryTest {

  static Settings withHistory() {
    return TrainingRunTest.tiny().with("ckpt_every", "240").with("ckpt_at", "100, 300").with("ckpt_log", "1");
  }

  @Test
  void scheduleIsTheUnionRoundedToWholeSteps() {
    Settings s = withHistory();
    long[] p = CheckpointHistory.points(TrainConfig.from(s));
    // every 240: 0 240 480 720; at: 100 -> 104, 300 -> 304; log 1/decade from batch 8: 10 -> 16, 100 -> 104.
    assertArrayEquals(new long[] {0, 16, 104, 240, 304, 480, 720}, p);
    Settings dense = TrainingRunTest.tiny().with("ckpt_log", "4").with("train_seqs", "1000");
    long[] d = CheckpointHistory.points(TrainConfig.from(dense));
    // 10^(k/4) in [8, 1000): 10, 18, 32, 56, 100, 178, 316, 562 -> rounded up to multiples of 8
    assertArrayEquals(new long[] {16, 24, 32, 56, 104, 184, 320, 568}, d);
  }

  @Test
  void badListIsOneLineNamingTheField() {
    Settings s = TrainingRunTest.tiny().with("ckpt_at", "1e5,soon");
    UserInputException e = assertThrows(UserInputException.class, () -> TrainConfig.from(s));
    assertEquals("ckpt_at", e.field().orElseThrow());
    assertTrue(e.problem().contains("'soon'"), e.problem());
  }

  @Test
  void historySurvivesAKillAndResumeContinuesTheSchedule(@TempDir Path tmp) throws Exception {
    Settings s = withHistory();
    Path straight = tmp.resolve("straight");
    TrainingRunTest.runTo(s, straight, TrainingRun.Start.fresh(), () -> false);
    List<CheckpointHistory.Entry> full = CheckpointHistory.list(straight);
    assertEquals(List.of(0L, 16L, 104L, 240L, 304L, 480L, 720L, 960L), full.stream().map(CheckpointHistory.Entry::seqs).toList());
    assertEquals("seqs_000000000960.bin", full.get(full.size() - 1).file().getFileName().toString());

    // A kill at step 67 (536 seqs): no final checkpoint, nothing written after the last scheduled point.
    Path dir = tmp.resolve("killed");
    AtomicInteger checks = new AtomicInteger();
    assertThrows(IllegalStateException.class, () -> TrainingRunTest.runTo(s, dir, TrainingRun.Start.fresh(), () -> {
      if (checks.incrementAndGet() > 67) {
        throw new IllegalStateException("killed");
      }
      return false;
    }));
    assertEquals(List.of(0L, 16L, 104L, 240L, 304L, 480L),
        CheckpointHistory.list(dir).stream().map(CheckpointHistory.Entry::seqs).toList());
    // A half-written file of an interrupted write is a hidden temp file that the listing ignores.
    Files.writeString(dir.resolve(CheckpointHistory.DIR).resolve(".seqs_000000000720.bin.x1.tmp"), "half");
    Path ckpt = dir.resolve(TrainingRun.CHECKPOINT);
    assertEquals(480, Checkpoint.read(ckpt).state().seqs());
    TrainingRunTest.runTo(Checkpoint.read(ckpt).config(ckpt), dir, new TrainingRun.Start(ckpt, null, false), () -> false);

    List<CheckpointHistory.Entry> resumed = CheckpointHistory.list(dir);
    assertEquals(full.size(), resumed.size());
    for (int i = 0; i < full.size(); i++) {
      assertEquals(full.get(i).seqs(), resumed.get(i).seqs());
      assertArrayEquals(Files.readAllBytes(full.get(i).file()), Files.readAllBytes(resumed.get(i).file()),
          "history file at " + full.get(i).seqs() + " differs after kill + resume");
    }
  }

  @Test
  void weightsFileIsWeightsOnlyAndMatchesTheFinalCheckpoint(@TempDir Path tmp) throws Exception {
    TrainingRunTest.runTo(TrainingRunTest.tiny(), tmp, TrainingRun.Start.fresh(), () -> false);
    Weights last = Weights.read(CheckpointHistory.fileFor(tmp, 960));
    Checkpoint c = Checkpoint.read(tmp.resolve(TrainingRun.CHECKPOINT));
    assertEquals(960, last.seqs());
    assertEquals(c.params().keySet(), last.arrays().keySet());
    c.params().forEach((name, v) -> assertArrayEquals(v, last.array(name), name));
    // Weights.read also opens a resume checkpoint; the weights file is about a third of its size.
    assertEquals(960, Weights.read(tmp.resolve(TrainingRun.CHECKPOINT)).seqs());
    long w = Files.size(CheckpointHistory.fileFor(tmp, 960));
    long r = Files.size(tmp.resolve(TrainingRun.CHECKPOINT));
    assertTrue(w < r / 2, w + " vs " + r);
  }

  @Test
  void missingHistoryAndCorruptFilesAreOneLine(@TempDir Path tmp) throws Exception {
    UserInputException e = assertThrows(UserInputException.class, () -> CheckpointHistory.list(tmp));
    assertTrue(e.getMessage().contains("has no checkpoint history"), e.getMessage());
    Path junk = tmp.resolve("junk.bin");
    Files.writeString(junk, "not weights and not a checkpoint either");
    UserInputException j = assertThrows(UserInputException.class, () -> Weights.read(junk));
    assertTrue(j.getMessage().contains("not a coopetition checkpoint"), j.getMessage());
  }

  @Test
  void historyCanBeSwitchedOff(@TempDir Path tmp) throws Exception {
    TrainingRunTest.runTo(TrainingRunTest.tiny().with("ckpt_history", "false"), tmp, TrainingRun.Start.fresh(), () -> false);
    assertTrue(!Files.exists(tmp.resolve(CheckpointHistory.DIR)));
  }
}
