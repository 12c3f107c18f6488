package coopetition.transformer.donor;

import coopetition.common.AtomicFiles;
import coopetition.figures.FigureWriter;
import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.train.Trainer;
import coopetition.transformer.train.TrainingRun;
import coopetition.transformer.train.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs a driver's child trainings one at a time (the machine's cores go to one training): a finished child
 * is skipped, a half-finished one resumed from its checkpoint, a missing one started. Each child's wall time
 * goes to {@code timing.csv} next to the children, which is where estimates of later runs come from.
 */
public final class ChildRunner {
  public static final String TIMING = "timing.csv";

  /** What happened to one child. */
  public record Outcome(ChildRun child, ChildRun.State before, long seqsTrained, double seconds) {
    /** Sequences per second of this child's training, or NaN when it was skipped. */
    public double seqsPerSecond() {
      return seqsTrained > 0 && seconds > 0 ? seqsTrained / seconds : Double.NaN;
    }
  }

  private final Consumer<String> log;
  private final boolean showProgress;
  private final Set<FigureWriter.Format> formats;
  private final BooleanSupplier stop;

  /**
   * @param log one line per child (what is skipped, resumed or started)
   * @param showProgress a progress bar per training
   * @param stop asked before every step (Ctrl-C): the child checkpoints and the driver ends
   */
  public ChildRunner(Consumer<String> log, boolean showProgress, Set<FigureWriter.Format> formats, BooleanSupplier stop) {
    this.log = log;
    this.showProgress = showProgress;
    this.formats = Set.copyOf(formats);
    this.stop = stop;
  }

  /** Sequences still to train for these children (0 for finished ones). */
  public static long remainingSeqs(List<ChildRun> children) {
    long sum = 0;
    for (ChildRun c : children) {
      ChildRun.State s = c.state();
      sum += s == ChildRun.State.DONE ? 0 : c.trainSeqs() - (s == ChildRun.State.PARTIAL ? doneSeqs(c) : 0);
    }
    return sum;
  }

  /**
   * Checks, before anything trains, that every child's donor and starting weights fit its model (a donor of
   * another shape is one line naming the parameter) and that no child directory holds a run of other settings.
   */
  public static void preflight(List<ChildRun> children) {
    java.util.Set<String> checked = new java.util.HashSet<>();
    for (ChildRun c : children) {
      c.state();
      TrainConfig cfg = c.config();
      String key = cfg.donor().file() + "|" + c.initFrom();
      if ((!cfg.donor().present() && c.initFrom() == null) || !checked.add(key)) {
        continue;
      }
      FeatureBank bank = TrainingRun.openBank(cfg);
      try (Trainer t = new Trainer(cfg, bank, TrainingRun.splits(cfg, bank))) { // applies (and checks) the donor
        if (c.initFrom() != null) {
          Weights.read(c.initFrom()).checkCompatible(t.parameters(), "starting weights " + c.initFrom());
        }
      }
    }
  }

  /** Runs every child that is not finished; returns one outcome per child, in order. */
  public List<Outcome> runAll(String experiment, List<ChildRun> children) {
    List<Outcome> out = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      ChildRun c = children.get(i);
      ChildRun.State before = c.state();
      String head = String.format(Locale.ROOT, "%s [%d/%d] %s", experiment, i + 1, children.size(), c.name());
      if (before == ChildRun.State.DONE) {
        log.accept(head + ": finished before, skipped");
        out.add(new Outcome(c, before, 0, 0));
        continue;
      }
      if (stop.getAsBoolean()) {
        log.accept(head + ": not started (stop requested)");
        break;
      }
      long from = before == ChildRun.State.PARTIAL ? doneSeqs(c) : 0;
      log.accept(head + (before == ChildRun.State.PARTIAL ? ": resuming at " + from : ": training") + " to "
          + c.trainSeqs() + " sequences" + (c.initFrom() != null ? " from " + c.initFrom() : ""));
      TrainingRun.Start start = before == ChildRun.State.PARTIAL
          ? new TrainingRun.Start(c.dir().resolve(TrainingRun.CHECKPOINT), null, false)
          : new TrainingRun.Start(null, c.initFrom(), false);
      long t0 = System.nanoTime();
      new TrainingRun(c.config(), c.dir(), "driver " + experiment + " child " + c.name()).withFormats(formats)
          .run(start, stop, showProgress);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long trained = doneSeqs(c) - from;
      Outcome o = new Outcome(c, before, trained, seconds);
      out.add(o);
      appendTiming(c, o);
      if (c.state() != ChildRun.State.DONE) {
        log.accept(head + ": stopped with a checkpoint; run the same command again to continue");
        break;
      }
    }
    return out;
  }

  private static long doneSeqs(ChildRun c) {
    return coopetition.transformer.train.Checkpoint.read(c.dir().resolve(TrainingRun.CHECKPOINT)).state().seqs();
  }

  /** One row per training session: the measured throughput that later estimates use. */
  private static void appendTiming(ChildRun c, Outcome o) {
    Path file = c.dir().getParent().resolve(TIMING);
    try {
      String head = "child,seqs_trained,seconds,seqs_per_second,threads,finished_at\n";
      String old = Files.isRegularFile(file) ? Files.readString(file) : head;
      String row = String.format(Locale.ROOT, "%s,%d,%.1f,%.1f,%d,%s%n", c.name(), o.seqsTrained(), o.seconds(),
          o.seqsPerSecond(), c.config().compute().threads(), java.time.Instant.now());
      AtomicFiles.writeString(file, old + row);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
