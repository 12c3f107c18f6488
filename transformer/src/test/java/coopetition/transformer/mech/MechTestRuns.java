package coopetition.transformer.mech;

import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.config.Settings;
import coopetition.transformer.train.TrainingRun;
import java.nio.file.Path;
import java.util.Map;

/** A tiny training run with a checkpoint history, for the mechanistic tests (seconds on a CPU). */
final class MechTestRuns {
  private MechTestRuns() {}

  /** 16 classes of 8-d features, a 2-layer width-16 model with 2 heads, 960 sequences, history every 240. */
  static Settings tiny() {
    return Settings.defaults().withAll(Map.ofEntries(
        Map.entry("classes", "16"), Map.entry("exemplars", "4"), Map.entry("dim", "8"), Map.entry("d_model", "16"),
        Map.entry("heads", "2"), Map.entry("lr", "3e-3"), Map.entry("batch", "8"), Map.entry("train_seqs", "960"),
        Map.entry("eval_every", "240"), Map.entry("eval_seqs", "40"), Map.entry("ckpt_every", "240"),
        Map.entry("threads", "1")));
  }

  static Path train(Settings s, Path dir) {
    new TrainingRun(TrainConfig.from(s), dir, "test").run(TrainingRun.Start.fresh(), () -> false, false);
    return dir;
  }
}
