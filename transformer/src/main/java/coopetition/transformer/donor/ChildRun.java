package coopetition.transformer.donor;

import coopetition.common.UserInputException;
import coopetition.transformer.config.Settings;
import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.train.Checkpoint;
import coopetition.transformer.train.MetricsLog;
import coopetition.transformer.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One training a donor experiment needs (Fig 4): its settings, its directory, and where its parameters
 * start. A driver runs the missing ones, resumes half-finished ones and skips finished ones, so a killed
 * driver loses at most the steps since a child's last checkpoint.
 *
 * @param name short label (also the directory name), e.g. {@code donor-000000300000}
 * @param settings the full settings of the child's run
 * @param dir the child's run directory
 * @param initFrom weights the child starts from (Fig 4c: a CIWL-only checkpoint), or null for its own init
 * @param donorSeqs sequences the donor (or the starting checkpoint) had seen; -1 when there is none. Fig 4c
 *     adds it to the child's own count, so the child continues the donor's sequence counter.
 */
public record ChildRun(String name, Settings settings, Path dir, Path initFrom, long donorSeqs) {

  /** Where a child stands on disk. */
  public enum State { MISSING, PARTIAL, DONE }

  public ChildRun {
    UserInputException.require(name != null && name.matches("[A-Za-z0-9._-]+"), "child run name '" + name
        + "' must be letters, digits, '.', '_' or '-'");
  }

  public TrainConfig config() {
    return TrainConfig.from(settings);
  }

  /** Sequences this child trains for (its own counter). */
  public long trainSeqs() {
    return config().schedule().trainSeqs();
  }

  /**
   * Settings a child may differ in from its stored run, as in {@code train resume}: a longer {@code train_seqs}
   * extends a finished child (keep {@code eval_every}, i.e. seqs / evals, the same).
   */
  private static final java.util.Set<String> EXTENDABLE = java.util.Set.of("train_seqs", "ckpt_every", "threads", "device");

  /**
   * MISSING without a checkpoint, DONE when the checkpoint is at the end of the schedule, else PARTIAL. A
   * directory holding a run of other settings is an error (one line), not something to overwrite.
   */
  public State state() {
    Path ckpt = dir.resolve(TrainingRun.CHECKPOINT);
    if (!Files.isRegularFile(ckpt)) {
      return State.MISSING;
    }
    Checkpoint c = Checkpoint.read(ckpt);
    Map<String, String> stored = c.config(ckpt).toSettings().asMap();
    Map<String, String> want = config().toSettings().asMap();
    for (Map.Entry<String, String> e : want.entrySet()) {
      if (!EXTENDABLE.contains(e.getKey()) && !e.getValue().equals(stored.get(e.getKey()))) {
        throw new UserInputException(dir + " holds a run with " + e.getKey() + "=" + stored.get(e.getKey()) + " but this"
            + " experiment needs " + e.getValue() + "; delete that directory or choose another --out");
      }
    }
    return c.state().step() >= config().schedule().steps() ? State.DONE : State.PARTIAL;
  }

  /** The child's metrics.csv (read after it has run). */
  public MetricsLog metrics() {
    return MetricsLog.read(dir.resolve(TrainingRun.METRICS));
  }

  /** Sequences on the experiment's axis: the child's own count, after the donor's when it continues one. */
  public double axisSeqs(double ownSeqs) {
    return initFrom != null && donorSeqs > 0 ? donorSeqs + ownSeqs : ownSeqs;
  }
}
