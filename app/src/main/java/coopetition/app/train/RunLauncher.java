package coopetition.app.train;

import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.train.MetricsLog;
import coopetition.transformer.train.TrainingDiverged;
import coopetition.transformer.train.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a {@link TrainingRun} for the train commands: Ctrl-C/SIGTERM asks the loop to checkpoint and
 * return, a diverged run is one line and {@link #EXIT_DIVERGED}, a finished run a short summary.
 */
final class RunLauncher {
  /** Exit code of a run stopped by a non-finite training loss (2 is bad input). */
  static final int EXIT_DIVERGED = 3;

  private RunLauncher() {}

  /** Runs to the end, an interrupt or a divergence; returns the exit code. */
  static int launch(TrainingRun run, TrainingRun.Start start, Path dir, boolean showProgress, PrintWriter err) {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.set(true);
      try {
        finished.await(120, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "coop-train-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      MetricsLog log = run.withWarnings(line -> {
        err.println("coop train: " + line);
        err.flush();
      }).run(start, stop::get, showProgress);
      if (stop.get()) {
        err.println("coop train: interrupted; checkpoint written to " + dir.resolve(TrainingRun.CHECKPOINT)
            + "; continue with ./coop train resume " + dir);
      } else {
        summarise(log, dir);
      }
      return 0;
    } catch (TrainingDiverged d) {
      err.println("coop train: " + d.getMessage());
      return EXIT_DIVERGED;
    } finally {
      err.flush();
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running; it returns once `finished` is counted down
      }
    }
  }

  /** The command line recorded in config.json's provenance. */
  static String command(String... parts) {
    return "coop train " + String.join(" ", parts);
  }

  static TrainingRun newRun(TrainConfig config, Path dir, String command, coopetition.app.FigureFormats formats) {
    return new TrainingRun(config, dir, command).withFormats(formats.get());
  }

  private static void summarise(MetricsLog log, Path dir) {
    double[] seqs = log.column("seqs");
    double[] flip = log.column("flip_in_context_acc");
    double[] icl = log.column("icl_in_context_acc");
    double[] ciwl = log.column("ciwl_in_context_acc");
    int peak = 0;
    for (int i = 0; i < flip.length; i++) {
      if (flip[i] > flip[peak]) {
        peak = i;
      }
    }
    int last = flip.length - 1;
    double iclMax = Double.NEGATIVE_INFINITY;
    for (double x : icl) {
      iclMax = Math.max(iclMax, x);
    }
    System.out.printf("run written to %s%n", dir);
    System.out.printf("Flip in-context acc: peak %.3f at %,.0f seqs, final %.3f%n", flip[peak], seqs[peak], flip[last]);
    System.out.printf("ICL in-context acc: max %.3f, final %.3f; CIWL in-context acc final %.3f%n",
        iclMax, icl[last], ciwl[last]);
  }
}
