package coopetition.transformer.donor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Training sequences per second for time estimates, and where the figure comes from: measured by earlier
 * children of the same output ({@code timing.csv}, written by {@link ChildRunner}), else a recorded one.
 *
 * @param seqsPerSecond one training's speed
 * @param source how it was obtained, printed with the estimate
 */
public record Throughput(double seqsPerSecond, String source) {
  public Throughput {
    if (!(seqsPerSecond > 0)) {
      throw new IllegalArgumentException("seqs per second must be positive, got " + seqsPerSecond);
    }
  }

  /** Seconds to train {@code seqs} sequences. */
  public double seconds(long seqs) {
    return seqs / seqsPerSecond;
  }

  /**
   * The median speed of the trainings in the {@code timing.csv} files found directly under {@code dirs}
   * (of at least 10 000 sequences, so a resumed tail does not count), else {@code recorded}.
   */
  public static Throughput measuredOr(List<Path> dirs, Throughput recorded) {
    List<Double> speeds = new ArrayList<>();
    for (Path d : dirs) {
      Path f = d.resolve(ChildRunner.TIMING);
      if (!Files.isRegularFile(f)) {
        continue;
      }
      try {
        for (String line : Files.readAllLines(f).subList(1, Files.readAllLines(f).size())) {
          String[] c = line.split(",");
          if (c.length >= 4 && Long.parseLong(c[1]) >= 10_000) {
            speeds.add(Double.parseDouble(c[3]));
          }
        }
      } catch (IOException | RuntimeException e) {
        // an unreadable timing file only costs the estimate its measurement
      }
    }
    if (speeds.isEmpty()) {
      return recorded;
    }
    speeds.sort(Double::compare);
    double median = speeds.get(speeds.size() / 2);
    return new Throughput(median, String.format(Locale.ROOT, "measured: median of %d earlier trainings in this output"
        + " (timing.csv)", speeds.size()));
  }

  /** "1 h 05 min" style. */
  public static String duration(double seconds) {
    long m = Math.round(seconds / 60);
    return m >= 60 ? String.format(Locale.ROOT, "%d h %02d min", m / 60, m % 60) : m + " min";
  }
}
