package coopetition.transformer.train;

import coopetition.common.Progress;
import coopetition.common.UserInputException;
import coopetition.figures.FigureWriter;
import coopetition.transformer.config.Schedule;
import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.data.Splits;
import coopetition.transformer.eval.EvalSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The training loop with its files: config.json, metrics.csv, curves (png/svg by default),
 * eval_set.bin, checkpoint.bin and the checkpoint history checkpoints/ in one run directory. Before the step at sequences-seen i it
 * evaluates if an eval is due, writes the history's weights if due, then checkpoints if one is due, then steps; a stop request (Ctrl-C)
 * finishes the current step, writes a checkpoint and returns. Every step's loss is read back (one
 * float): a non-finite one ends the run with {@link TrainingDiverged}, an exploding one is warned
 * about and flagged in metrics.csv ({@link LossWatch}).
 */
public final class TrainingRun {
  public static final String CHECKPOINT = "checkpoint.bin";
  public static final String METRICS = "metrics.csv";
  public static final String CONFIG = ConfigFile.NAME;
  public static final String EVAL_SET = "eval_set.bin";

  /** How the run starts. */
  public record Start(Path resumeFrom, Path initFrom, boolean initOptimiser) {
    public static Start fresh() {
      return new Start(null, null, false);
    }
  }

  private final TrainConfig config;
  private final Path out;
  private final String command;
  private final Set<FigureWriter.Format> formats;
  private final Consumer<String> warnings;

  public TrainingRun(TrainConfig config, Path out, String command) {
    this(config, out, command, FigureWriter.PNG_SVG, System.err::println);
  }

  private TrainingRun(TrainConfig config, Path out, String command, Set<FigureWriter.Format> formats,
      Consumer<String> warnings) {
    this.config = config;
    this.out = out;
    this.command = command;
    this.formats = Set.copyOf(formats);
    this.warnings = warnings;
  }

  /** The figure formats of curves (png and svg unless asked). */
  public TrainingRun withFormats(Set<FigureWriter.Format> f) {
    return new TrainingRun(config, out, command, f, warnings);
  }

  /** Where warnings go (a line each; standard error unless asked). */
  public TrainingRun withWarnings(Consumer<String> sink) {
    return new TrainingRun(config, out, command, formats, sink);
  }

  /** Opens the bank and its splits as configured (validates them against each other). */
  public static FeatureBank openBank(TrainConfig c) {
    return c.data().openBank();
  }

  public static Splits splits(TrainConfig c, FeatureBank bank) {
    return c.data().splits(bank);
  }

  /** Runs to the end of the schedule or until {@code stop} says so (checked before every step); returns the metrics log. */
  public MetricsLog run(Start start, BooleanSupplier stop, boolean showProgress) {
    Checkpoint resume = start.resumeFrom() == null ? null : Checkpoint.read(start.resumeFrom());
    // the weights alone may also come from a history file, which holds no Adam state
    boolean historyFile = start.initFrom() != null && Weights.isWeightsFile(start.initFrom());
    UserInputException.require(!historyFile || !start.initOptimiser(), "--init-optimizer needs a checkpoint.bin; "
        + start.initFrom() + " is a history file, which holds no Adam state");
    Checkpoint init = start.initFrom() == null || historyFile ? null : Checkpoint.read(start.initFrom());
    Weights initWeights = historyFile ? Weights.read(start.initFrom()) : null;
    FeatureBank bank = openBank(config);
    Splits splits = splits(config, bank);
    EvalSuite.Spec evalSpec = EvalSuite.Spec.paperDefaults(splits, config.evalSeqs(), config.data().contextLength(),
        config.data().burstiness()).withSeed(config.seeds().eval());
    Schedule sch = config.schedule();
    try (Trainer t = new Trainer(config, bank, splits)) {
      Loop loop = new Loop(t, new LossWatch(t.modelConfig().numClasses()));
      if (resume != null) {
        resume.checkCompatible(t.parameters(), start.resumeFrom());
        resume.restoreInto(t.parameters(), t.adam(), true);
        Checkpoint.State s = resume.state();
        t.restoreCounters(s);
        loop.evalsDone = s.evalsDone();
        loop.ckptsDone = s.ckptsDone();
        loop.lastCheckpoint = s;
        loop.watch.restore(s.lossExploded());
        if (t.step() >= sch.steps()) {
          throw UserInputException.forField("train_seqs", "the run in " + out + " is already complete (" + t.seqs()
              + " sequences); give a larger value to train longer");
        }
      } else if (init != null || initWeights != null) {
        UserInputException.require(!config.donor().present(), "--init-from and a donor both set the"
            + " parameters; use one of them");
        if (init != null) {
          init.checkCompatible(t.parameters(), start.initFrom());
          init.restoreInto(t.parameters(), t.adam(), start.initOptimiser());
        } else {
          initWeights.checkCompatible(t.parameters(), "--init-from " + start.initFrom());
          initWeights.restoreInto(t.parameters());
        }
      }
      Files.createDirectories(out);
      EvalSuite suite = EvalSuite.loadOrBuild(out.resolve(EVAL_SET), bank, evalSpec);
      MetricsLog log = new MetricsLog(out.resolve(METRICS), evalSpec.evaluators());
      log.loadExisting(loop.evalsDone);
      ConfigFile.write(out, config, new ConfigFile.Context(bank, splits, t, start, command));
      loop.history = CheckpointHistory.forRun(out, config, resume == null ? -1 : t.seqs());
      try (Progress bar = showProgress ? Progress.start("train", sch.trainSeqs(), "seq", t.seqs()) : null) {
        loop.run(suite, log, stop, bar);
      }
      return log;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * How often the curves are redrawn while training. Drawing them (png and svg) costs 0.5-0.8 s of CPU,
   * 5 s before the JIT has warmed up: after every one of quick's 61 evals that was about a tenth of a
   * 6-minute run. metrics.csv is still written at every eval; the curves also at the end and on a stop.
   */
  static final long CURVES_EVERY_NANOS = 30_000_000_000L;

  /** The loop's state: schedule positions, the last checkpoint written, the latest Flip for the bar. */
  private final class Loop {
    private final Trainer t;
    private final LossWatch watch;
    long evalsDone;
    long ckptsDone;
    Checkpoint.State lastCheckpoint;
    CheckpointHistory history;
    private String lastFlip = "-";
    private long curvesDrawnAt;
    private boolean curvesStale;

    Loop(Trainer t, LossWatch watch) {
      this.t = t;
      this.watch = watch;
    }

    void run(EvalSuite suite, MetricsLog log, BooleanSupplier stop, Progress bar) {
      Schedule sch = config.schedule();
      long lastMsg = 0;
      while (t.step() < sch.steps()) {
        long i = t.seqs();
        if (evalsDone < sch.scheduledEvals() && i >= sch.evalAt(evalsDone)) {
          eval(suite, log);
          // every scheduled value we have passed counts as done (one eval even if several are due)
          while (evalsDone < sch.scheduledEvals() && i >= sch.evalAt(evalsDone)) {
            evalsDone++;
          }
        }
        if (history != null) {
          history.beforeStep(t); // before the resume checkpoint, so a resumed run never skips a point
        }
        if (ckptsDone < sch.scheduledCheckpoints() && i >= sch.checkpointAt(ckptsDone)) {
          while (ckptsDone < sch.scheduledCheckpoints() && i >= sch.checkpointAt(ckptsDone)) {
            ckptsDone++;
          }
          checkpoint();
        }
        if (stop.getAsBoolean()) {
          checkpoint();
          if (curvesStale) {
            drawCurves(log);
          }
          if (bar != null) {
            bar.message("interrupted; checkpoint written");
          }
          return;
        }
        t.trainStep();
        double loss = watchStep();
        if (bar != null) {
          bar.stepTo(Math.min(t.seqs(), sch.trainSeqs()));
          long now = System.nanoTime();
          if (now - lastMsg > 2_000_000_000L) {
            lastMsg = now;
            bar.message(String.format("loss %.3f | flip %s", loss, lastFlip));
          }
        }
      }
      eval(suite, log);
      evalsDone++;
      if (curvesStale) {
        drawCurves(log);
      }
      if (history != null) {
        history.atEnd(t);
      }
      checkpoint();
    }

    /** Reads the step's loss: stops the run if it is not finite, warns if it explodes. */
    private double watchStep() {
      double loss = t.lastLoss();
      long step = t.step() - 1;
      long seqs = step * config.schedule().batch();
      if (!Double.isFinite(loss)) {
        throw new TrainingDiverged(loss, step, seqs, lastCheckpoint == null ? null : out.resolve(CHECKPOINT),
            lastCheckpoint);
      }
      if (watch.startsExplosion(loss)) {
        warnings.accept(String.format("warning: training loss %.4g at step %d (%d sequences seen) is above %.0f·ln C"
            + " = %.1f: the weights are blowing up; metrics.csv flags it in %s (try a lower lr)", loss, step, seqs,
            LossWatch.FACTOR, watch.threshold(), MetricsLog.EXPLODED));
      }
      return loss;
    }

    private void eval(EvalSuite suite, MetricsLog log) {
      double trainLoss = t.takeMeanLoss();
      Map<String, Double> m = new java.util.LinkedHashMap<>(t.evaluate(suite));
      m.put(MetricsLog.EXPLODED, watch.takeInterval() ? 1.0 : 0.0);
      log.add(t.seqs(), t.step(), trainLoss, m);
      log.write();
      curvesStale = true;
      if (curvesDrawnAt == 0 || System.nanoTime() - curvesDrawnAt >= CURVES_EVERY_NANOS) {
        drawCurves(log);
      }
      Double flip = m.get("flip_in_context_acc");
      lastFlip = flip == null ? "-" : String.format("%.3f", flip);
    }

    private void drawCurves(MetricsLog log) {
      Curves.write(log, out.resolve("curves"), config.title(), formats);
      curvesDrawnAt = System.nanoTime();
      curvesStale = false;
    }

    private void checkpoint() {
      Checkpoint.State s = t.state(evalsDone, ckptsDone, watch.sinceEval());
      Checkpoint.capture(config, s, t.parameters(), t.adam()).write(out.resolve(CHECKPOINT));
      lastCheckpoint = s;
    }
  }

  /** Redraws the curves of a run directory from its metrics.csv and config.json; returns the files written. */
  public static List<Path> replot(Path dir, Set<FigureWriter.Format> formats) {
    Path metrics = dir.resolve(METRICS);
    if (!Files.isRegularFile(metrics)) {
      throw new UserInputException(dir + " has no " + METRICS + "; give a run directory of ./coop train");
    }
    TrainConfig c = ConfigFile.read(dir);
    return Curves.write(MetricsLog.read(metrics), dir.resolve("curves"), c.title(), formats);
  }
}
