package coopetition.transformer.train;

import java.nio.file.Path;

/**
 * The training loss became NaN or infinite. Adam has by then written non-finite values into the
 * parameters, so the run stops at once; the checkpoint and metrics.csv on disk are from before it and
 * stay as they were. The application prints the message as one line and exits with its own code.
 *
 * @param lastCheckpoint the last checkpoint of this run on disk, or null when none was written yet
 */
public final class TrainingDiverged extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long step;
  private final long seqs;

  public TrainingDiverged(double loss, long step, long seqs, Path lastCheckpoint, Checkpoint.State checkpointState) {
    super("training diverged: loss " + loss + " at step " + step + " (" + seqs + " sequences seen); "
        + (lastCheckpoint == null ? "no checkpoint was written yet (ckpt_every=0 writes one only at the end)"
            : "last good checkpoint " + lastCheckpoint + " (step " + checkpointState.step() + ", "
                + checkpointState.seqs() + " sequences)")
        + "; metrics.csv keeps the evals before it; try a lower lr");
    this.step = step;
    this.seqs = seqs;
  }

  /** The step whose loss was not finite. */
  public long step() {
    return step;
  }

  public long seqs() {
    return seqs;
  }
}
