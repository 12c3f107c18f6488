package coopetition.transformer.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import coopetition.common.Json;
import coopetition.common.Progress;
import coopetition.common.Provenance;
import coopetition.common.UserInputException;
import coopetition.transformer.data.BankSpec;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.data.Splits;
import coopetition.transformer.eval.EvalSuite;
import coopetition.transformer.runtime.Torch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The training loop with its files: config.json, metrics.csv, curves.png/svg, eval_set.bin,
 * checkpoint.bin and the checkpoint history checkpoints/ in one run directory. Before the step at
 * sequences-seen i it evaluates if an eval is due, writes the history's weights if due, then the resume
 * checkpoint if one is due, then steps; a stop request (Ctrl-C) finishes the current step,
 * writes a checkpoint and returns.
 */
public final class TrainingRun {
  public static final String CHECKPOINT = "checkpoint.bin";
  public static final String METRICS = "metrics.csv";
  public static final String CONFIG = "config.json";
  public static final String EVAL_SET = "eval_set.bin";

  /** How the run starts. */
  public record Start(Path resumeFrom, Path initFrom, boolean initOptimiser) {
    public static Start fresh() {
      return new Start(null, null, false);
    }
  }

  private final RunConfig config;
  private final Path out;
  private final String title;
  private final String command;

  public TrainingRun(RunConfig config, Path out, String title, String command) {
    this.config = config;
    this.out = out;
    this.title = title;
    this.command = command;
  }

  /** Opens the bank and its splits as configured (validates them against each other). */
  public static FeatureBank openBank(RunConfig c) {
    BankSpec spec = c.bank();
    return spec.open(c.synthetic());
  }

  public static Splits splits(RunConfig c, FeatureBank bank) {
    if (c.classSplit().isBlank() && c.exemplarSplit().isBlank()) {
      return Splits.allTrain(bank);
    }
    String cs = c.classSplit().isBlank() ? bank.numClasses() + ",0,0" : c.classSplit();
    String es = c.exemplarSplit().isBlank() ? bank.numExemplars() + ",0,0" : c.exemplarSplit();
    return Splits.parse(cs, es).checkAgainst(bank);
  }

  /** Runs to the end of the schedule or until {@code stop} says so (checked before every step); returns the metrics log. */
  public MetricsLog run(Start start, BooleanSupplier stop, boolean showProgress) {
    Checkpoint resume = start.resumeFrom() == null ? null : Checkpoint.read(start.resumeFrom());
    Checkpoint init = start.initFrom() == null ? null : Checkpoint.read(start.initFrom());
    FeatureBank bank = openBank(config);
    Splits splits = splits(config, bank);
    EvalSuite.Spec evalSpec = EvalSuite.Spec.paperDefaults(splits, config.evalSeqs(), config.contextLength(),
        config.burstiness()).withSeed(config.seeds().eval());
    Schedule sch = config.schedule();
    try (Trainer t = new Trainer(config, bank, splits)) {
      long evalsDone = 0;
      long ckptsDone = 0;
      if (resume != null) {
        resume.checkCompatible(t.parameters(), start.resumeFrom());
        resume.restoreInto(t.parameters(), t.adam(), true);
        Checkpoint.State s = resume.state();
        t.restoreCounters(s);
        evalsDone = s.evalsDone();
        ckptsDone = s.ckptsDone();
        if (t.step() >= sch.steps()) {
          throw new UserInputException("the run in " + out + " is already complete (" + t.seqs()
              + " sequences); to train longer, add --set train_seqs=MORE to --resume");
        }
      } else if (init != null) {
        UserInputException.require(config.donor() == null, "--init-from and a donor both set the"
            + " parameters; use one of them");
        init.checkCompatible(t.parameters(), start.initFrom());
        init.restoreInto(t.parameters(), t.adam(), start.initOptimiser());
      }
      Files.createDirectories(out);
      EvalSuite suite = EvalSuite.loadOrBuild(out.resolve(EVAL_SET), bank, evalSpec);
      MetricsLog log = new MetricsLog(out.resolve(METRICS), evalSpec.evaluators());
      log.loadExisting(evalsDone);
      writeConfig(t, bank, splits, start);

      CheckpointHistory history = CheckpointHistory.forRun(out, config, resume == null ? -1 : t.seqs());
      long steps = sch.steps();
      String lastFlip = "-";
      try (Progress bar = showProgress ? Progress.start("train", sch.trainSeqs(), "seq", t.seqs()) : null) {
        long lastMsg = 0;
        while (t.step() < steps) {
          long i = t.seqs();
          if (evalsDone < sch.scheduledEvals() && i >= sch.evalAt(evalsDone)) {
            lastFlip = evalInto(t, suite, log);
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
            checkpoint(t, evalsDone, ckptsDone);
          }
          if (stop.getAsBoolean()) {
            checkpoint(t, evalsDone, ckptsDone);
            if (bar != null) {
              bar.message("interrupted; checkpoint written, continue with --resume");
            }
            return log;
          }
          t.trainStep();
          if (bar != null) {
            bar.stepTo(Math.min(t.seqs(), sch.trainSeqs()));
            long now = System.nanoTime();
            if (now - lastMsg > 2_000_000_000L) {
              lastMsg = now;
              bar.message(String.format("loss %.3f | flip %s", t.lastLoss(), lastFlip));
            }
          }
        }
        evalInto(t, suite, log);
        evalsDone++;
        if (history != null) {
          history.atEnd(t);
        }
        checkpoint(t, evalsDone, ckptsDone);
      }
      return log;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String evalInto(Trainer t, EvalSuite suite, MetricsLog log) {
    double trainLoss = t.takeMeanLoss();
    Map<String, Double> m = t.evaluate(suite);
    log.add(t.seqs(), t.step(), trainLoss, m);
    log.write();
    Curves.write(log, out.resolve("curves"), title);
    Double flip = m.get("flip_in_context_acc");
    return flip == null ? "-" : String.format("%.3f", flip);
  }

  private void checkpoint(Trainer t, long evalsDone, long ckptsDone) {
    Checkpoint.capture(config.settings().asMap(), t.state(evalsDone, ckptsDone), t.parameters(), t.adam())
        .write(out.resolve(CHECKPOINT));
  }

  private void writeConfig(Trainer t, FeatureBank bank, Splits splits, Start start) {
    ObjectNode root = Json.object();
    root.put("title", title);
    root.set("settings", Json.tree(config.settings().asMap()));
    root.set("changed_from_defaults", Json.tree(config.settings().changedFromDefaults()));
    root.set("model", Json.tree(t.modelConfig()));
    root.put("parameters", t.parameters().count());
    root.set("sampler", Json.tree(config.samplerConfig(splits.numTrainClasses())));
    root.set("adam", Json.tree(config.adam()));
    root.set("schedule", Json.tree(config.schedule()));
    root.set("seeds", Json.tree(config.seeds()));
    root.put("bank", bank.describe());
    root.put("bank_fingerprint", bank.fingerprint());
    root.put("splits", splits.toString());
    root.put("device", Torch.describe(t.device()));
    if (start.resumeFrom() != null) {
      root.put("resumed_from", start.resumeFrom().toString());
    }
    if (start.initFrom() != null) {
      root.put("init_from", start.initFrom().toString());
      root.put("init_optimiser", start.initOptimiser());
    }
    root.set("provenance", Json.tree(Provenance.capture(command, Map.of("device", Torch.describe(t.device())))));
    Json.write(out.resolve(CONFIG), root);
  }

  /** A short figure title naming what distinguishes runs: K, lr, data and seeds. */
  public static String title(Settings s) {
    String data = s.get("train_data").equals("main") ? "" : ", " + s.get("train_data");
    String mq = RunConfig.bool(s, "mq") ? ", mq" : "";
    return "Transformer, K=" + s.get("classes") + ", eps " + s.get("eps") + ", lr " + s.get("lr") + data + mq + ", seeds "
        + s.get("init_seed") + "/" + s.get("train_seed") + "/" + s.get("eval_seed");
  }

  /** Redraws curves.png/svg of a run directory from its metrics.csv and config.json. */
  public static void replot(Path dir) {
    Path metrics = dir.resolve(METRICS);
    Path config = dir.resolve(CONFIG);
    if (!Files.isRegularFile(metrics) || !Files.isRegularFile(config)) {
      throw new UserInputException(dir + " has no " + METRICS + " and " + CONFIG + "; give a run directory of ./coop train");
    }
    Settings s = Settings.defaults();
    var it = Json.read(config).get("settings").fields();
    while (it.hasNext()) {
      var e = it.next();
      s = s.with(e.getKey(), e.getValue().asText());
    }
    Curves.write(MetricsLog.read(metrics), dir.resolve("curves"), title(s));
  }

  /** Settings stored in a run directory's checkpoint, for --resume. */
  public static Settings settingsOf(Path checkpoint) {
    Checkpoint c = Checkpoint.read(checkpoint);
    Settings s = Settings.defaults();
    for (Map.Entry<String, String> e : c.settings().entrySet()) {
      try {
        s = s.with(e.getKey(), e.getValue());
      } catch (UserInputException ex) {
        throw new UserInputException("checkpoint " + checkpoint + " has setting " + e.getKey()
            + " that this version does not know; resume it with the version that wrote it");
      }
    }
    return s;
  }
}
