package coopetition.transformer.sweep;

import coopetition.transformer.train.TrainingRun;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a run stands, read from its directory alone (so a coordinator that was killed, a SLURM task
 * that was requeued and {@code sweep status} all agree): DONE once metrics.csv holds the final eval,
 * else INTERRUPTED when a checkpoint exists (resume it), else NEW (start it; nothing worth keeping).
 *
 * @param phase the phase
 * @param seqs sequences seen at the last eval in metrics.csv (0 without one)
 */
public record RunState(Phase phase, long seqs) {

  /** The three phases a directory can show. */
  public enum Phase { NEW, INTERRUPTED, DONE }

  public static RunState of(Path runDir, long finalSeqs) {
    long seqs = lastSeqs(runDir.resolve(TrainingRun.METRICS));
    if (seqs >= finalSeqs) {
      return new RunState(Phase.DONE, seqs);
    }
    if (Files.isRegularFile(runDir.resolve(TrainingRun.CHECKPOINT))) {
      return new RunState(Phase.INTERRUPTED, seqs);
    }
    return new RunState(Phase.NEW, Math.max(seqs, 0));
  }

  /** The seqs column of metrics.csv's last row; -1 without a row. Reads only the file's tail. */
  static long lastSeqs(Path metrics) {
    if (!Files.isRegularFile(metrics)) {
      return -1;
    }
    try (RandomAccessFile f = new RandomAccessFile(metrics.toFile(), "r")) {
      long len = f.length();
      int n = (int) Math.min(len, 64 * 1024);
      byte[] tail = new byte[n];
      f.seek(len - n);
      f.readFully(tail);
      String[] lines = new String(tail, StandardCharsets.UTF_8).strip().split("\n");
      String last = lines[lines.length - 1];
      if (lines.length < 2 && len == n) {
        return -1; // header only
      }
      return Long.parseLong(last.substring(0, last.indexOf(',')));
    } catch (IOException | RuntimeException e) {
      return -1; // unreadable or a header only: no progress to show
    }
  }
}
