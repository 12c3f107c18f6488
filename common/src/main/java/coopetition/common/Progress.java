package coopetition.common;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars for long work (rate and ETA), on stderr so stdout stays machine-readable. A thin
 * wrapper over me.tongfei:progressbar so every command looks the same.
 */
public final class Progress implements AutoCloseable {
  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /**
   * A bar over {@code total} units; {@code alreadyDone} > 0 when resuming, so the rate counts only new work.
   * Without a terminal (a log file, CI) the bar becomes one full line every 30 s instead of a
   * carriage-return redraw twice a second, which would fill a log with megabytes of bars.
   */
  public static Progress start(String task, long total, String unit, long alreadyDone) {
    boolean terminal = System.console() != null;
    ProgressBarBuilder b = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(" " + unit, 1)
        .showSpeed()
        .setSpeedUnit(ChronoUnit.SECONDS)
        .setUpdateIntervalMillis(terminal ? 500 : 30_000)
        .setMaxRenderedLength(120)
        .setConsumer(terminal
            ? new ConsoleProgressBarConsumer(System.err, 120)
            : new DelegatingProgressBarConsumer(new SkipRepeats(), 120));
    if (alreadyDone > 0) {
      b.startsFrom(alreadyDone, Duration.ZERO);
    }
    return new Progress(b.build());
  }

  public static Progress start(String task, long total, String unit) {
    return start(task, total, unit, 0);
  }

  public void stepTo(long done) {
    bar.stepTo(done);
  }

  public void stepBy(long n) {
    bar.stepBy(n);
  }

  /** Extra text after the bar, e.g. the current loss. */
  public void message(String extra) {
    bar.setExtraMessage(" " + extra); // the bar prints it right after the rate's unit
  }

  @Override
  public void close() {
    bar.close();
  }

  /** Prints a line unless it repeats the previous one (closing the bar redraws its final state). */
  private static final class SkipRepeats implements java.util.function.Consumer<String> {
    private String last;

    @Override
    public void accept(String line) {
      if (!line.equals(last)) {
        System.err.println(line);
        last = line;
      }
    }
  }
}
