package coopetition.app.intervene;

import coopetition.common.UserInputException;
import coopetition.transformer.mech.StoredRun;
import coopetition.transformer.train.Weights;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --ckpt RUN@SEQS}: a run directory (its settings and eval sequences) and the weights to use: a stored
 * checkpoint by sequence count, {@code final}, or a weights file (e.g. another run's {@code seqs_N.bin}, which
 * must have the run's shape).
 *
 * @param run the run directory
 * @param which a sequence count, {@code final}, or a file
 */
record CheckpointArg(Path run, String which) {
  static final String FIELD = "ckpt";

  static CheckpointArg parse(String text) {
    int at = text.lastIndexOf('@');
    UserInputException.requireField(at > 0 && at < text.length() - 1, FIELD, "'" + text
        + "' is not RUN@SEQS; e.g. runs/quick-hist@final or runs/quick-hist@3000000");
    return new CheckpointArg(Path.of(text.substring(0, at)), text.substring(at + 1).trim());
  }

  /** The sequence count it names (for titles), or -1 for a file. */
  long seqs(StoredRun r) {
    return isFile() ? -1 : r.select(which, FIELD).get(0).seqs();
  }

  boolean isFile() {
    return which.contains("/") || which.endsWith(".bin");
  }

  Weights weights(StoredRun r) {
    if (isFile()) {
      Path f = Path.of(which);
      UserInputException.requireField(Files.isRegularFile(f), FIELD, f + " does not exist; give RUN@SEQS, RUN@final or"
          + " RUN@FILE.bin");
      return Weights.read(f);
    }
    return StoredRun.weights(r.select(which, FIELD).get(0));
  }

  @Override
  public String toString() {
    return run + "@" + which;
  }
}
