package coopetition.transformer.train;

import coopetition.common.UserInputException;
import coopetition.transformer.config.Schedule;
import coopetition.transformer.config.TrainConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run's checkpoint history: the weights at every point of its schedule, each its own file
 * {@code RUN/checkpoints/seqs_000000150016.bin} named by sequences seen (zero-padded, so names sort in
 * training order), written atomically. The optimiser state stays in the resume checkpoint only.
 *
 * <p>The schedule is the union of every {@code ckpt_every} sequences, the list {@code ckpt_at}, and
 * {@code ckpt_log} points per decade (log-spaced, dense where the early phase changes are), plus the end
 * of training. A point fires before the first step at or after it, like evals.
 */
public final class CheckpointHistory {
  public static final String DIR = "checkpoints";
  private static final Pattern NAME = Pattern.compile("seqs_(\\d{12})\\.bin");

  /** One stored file of a history. */
  public record Entry(long seqs, Path file) {}

  private final Path dir;
  private final long[] points;
  private final java.util.Map<String, String> settings;
  private int next;

  /**
   * @param runDir the run directory
   * @param points the scheduled points, ascending
   * @param doneUpTo sequences already covered (a resumed run's position; -1 for a fresh run): points at or
   *     below it are not written again
   */
  CheckpointHistory(Path runDir, long[] points, java.util.Map<String, String> settings, long doneUpTo) {
    this.dir = runDir.resolve(DIR);
    this.points = points.clone();
    this.settings = settings;
    while (next < this.points.length && this.points[next] <= doneUpTo) {
      next++;
    }
  }

  /** The history of a run as its config describes it; null when {@code ckpt_history=false}. */
  static CheckpointHistory forRun(Path runDir, TrainConfig c, long doneUpTo) {
    if (!c.history().keep()) {
      return null;
    }
    return new CheckpointHistory(runDir, points(c), c.toSettings().asMap(), doneUpTo);
  }

  /**
   * The scheduled points below {@code train_seqs}, each rounded up to a whole step (where it actually
   * fires), ascending and distinct; the end of training is written in addition.
   */
  public static long[] points(TrainConfig c) {
    Schedule sch = c.schedule();
    TreeSet<Long> raw = new TreeSet<>();
    for (long k = 0; k < sch.scheduledCheckpoints(); k++) {
      raw.add(sch.checkpointAt(k));
    }
    raw.addAll(c.history().at());
    int perDecade = c.history().perDecade();
    if (perDecade > 0) {
      // 10^(k/n) for every k with batch <= 10^(k/n) < train_seqs.
      for (int k = (int) Math.ceil(perDecade * Math.log10(sch.batch()) - 1e-9); ; k++) {
        double v = Math.pow(10, (double) k / perDecade);
        if (v >= sch.trainSeqs()) {
          break;
        }
        raw.add(Math.round(v));
      }
    }
    TreeSet<Long> fired = new TreeSet<>();
    for (long v : raw) {
      long at = (v + sch.batch() - 1) / sch.batch() * sch.batch();
      if (v < sch.trainSeqs()) {
        fired.add(at);
      }
    }
    return fired.stream().mapToLong(Long::longValue).toArray();
  }

  /** Before the step at {@code seqs}: writes the trainer's weights if a scheduled point is due. */
  void beforeStep(Trainer t) {
    long seqs = t.seqs();
    if (next < points.length && seqs >= points[next]) {
      while (next < points.length && seqs >= points[next]) {
        next++;
      }
      write(t);
    }
  }

  /** At the end of training: the final weights. */
  void atEnd(Trainer t) {
    write(t);
  }

  private void write(Trainer t) {
    Weights.capture(t.seqs(), t.step(), settings, t.parameters()).write(fileFor(dir.getParent(), t.seqs()));
  }

  /** Where the weights at {@code seqs} live in {@code runDir}. */
  public static Path fileFor(Path runDir, long seqs) {
    return runDir.resolve(DIR).resolve(String.format(Locale.ROOT, "seqs_%012d.bin", seqs));
  }

  /**
   * The stored files of a run, by sequences seen; temporary files of an interrupted write are not
   * listed. One clear line if the run has no history.
   */
  public static List<Entry> list(Path runDir) {
    Path d = runDir.resolve(DIR);
    if (!Files.isDirectory(d)) {
      throw new UserInputException(runDir + " has no checkpoint history (" + d + " is missing); train it with this"
          + " version of ./coop train (history is on by default, every ckpt_every sequences)");
    }
    List<Entry> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(d)) {
      files.forEach(f -> {
        Matcher m = NAME.matcher(f.getFileName().toString());
        if (m.matches()) {
          out.add(new Entry(Long.parseLong(m.group(1)), f));
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + d + ": " + e.getMessage(), e);
    }
    out.sort(java.util.Comparator.comparingLong(Entry::seqs));
    if (out.isEmpty()) {
      throw new UserInputException(d + " holds no checkpoint files yet; wait for the run's first scheduled checkpoint");
    }
    return out;
  }
}
