package coopetition.app.train;

import coopetition.common.UserInputException;
import coopetition.transformer.train.Curves;
import coopetition.transformer.train.Presets;
import coopetition.transformer.train.MetricsLog;
import coopetition.transformer.train.RunConfig;
import coopetition.transformer.train.Settings;
import coopetition.transformer.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./coop train}: trains the ICL-transience transformer and writes a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Train the 2-layer ICL-transience transformer (PAPER-SETUP §3-4) and write config.json, metrics.csv,"
        + " curves.png/svg and checkpoint.bin into --out. Ctrl-C finishes the step, checkpoints and exits; --resume"
        + " continues it exactly.")
public final class TrainCommand implements Runnable {

  @Option(names = "--preset", description = "starting configuration (see --list-presets)", defaultValue = "quick")
  String preset;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one setting; repeatable (keys: --list-presets)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--out", description = "run directory (default runs/PRESET)")
  Path out;

  @Option(names = "--resume", description = "continue the run in --out from its checkpoint (settings come from the checkpoint;"
      + " only train_seqs, ckpt_every, threads, device may be --set)")
  boolean resume;

  @Option(names = "--init-from", paramLabel = "CKPT", description = "start a new run from this checkpoint's parameters")
  Path initFrom;

  @Option(names = "--init-optimizer", description = "with --init-from: also take the checkpoint's Adam state")
  boolean initOptimiser;

  @Option(names = "--list-presets", description = "print every preset and every setting with its default, then exit")
  boolean listPresets;

  @Option(names = "--device", description = "cpu, gpu or auto (a GPU when DJL finds one); overrides the device setting")
  String device;

  @Option(names = "--replot", paramLabel = "DIR", description = "only redraw DIR/curves.png/svg from its metrics.csv, then exit")
  Path replot;

  @Option(names = "--compare", paramLabel = "DIR", split = ",", description = "only overlay these runs' Flip, CIWL"
      + " and IWL curves in OUT/compare.png/svg (labels: --labels, else the directory names), then exit")
  List<Path> compare;

  @Option(names = "--labels", split = ",", description = "with --compare: one legend label per run")
  List<String> labels;

  @Option(names = "--no-progress", description = "no progress bar (for logs)")
  boolean noProgress;

  @Override
  public void run() {
    if (listPresets) {
      printPresets();
      return;
    }
    if (replot != null) {
      TrainingRun.replot(replot);
      System.out.println("redrew " + replot.resolve("curves.png"));
      return;
    }
    if (compare != null) {
      compareRuns();
      return;
    }
    Presets.Preset p = Presets.byName(preset);
    Path dir = out != null ? out : Path.of("runs", p.name());
    Settings settings;
    TrainingRun.Start start;
    if (resume) {
      Path ckpt = dir.resolve(TrainingRun.CHECKPOINT);
      if (!Files.isRegularFile(ckpt)) {
        throw new UserInputException("--resume: no " + ckpt + "; give the --out of an interrupted run");
      }
      UserInputException.require(initFrom == null, "--resume and --init-from exclude each other; use one");
      settings = TrainingRun.settingsOf(ckpt);
      for (String s : sets) {
        String key = s.contains("=") ? s.substring(0, s.indexOf('=')).trim() : s;
        UserInputException.require(List.of("train_seqs", "ckpt_every", "threads", "device").contains(key),
            "--resume keeps the checkpoint's settings; only train_seqs, ckpt_every, threads and device may change (got " + key + ")");
        settings = settings.withAssignment(s);
      }
      start = new TrainingRun.Start(ckpt, null, false);
    } else {
      settings = p.settings();
      for (String s : sets) {
        settings = settings.withAssignment(s);
      }
      if (Files.exists(dir.resolve(TrainingRun.CHECKPOINT))) {
        throw new UserInputException(dir + " already holds a run; continue it with --resume or choose another --out");
      }
      UserInputException.require(!initOptimiser || initFrom != null, "--init-optimizer needs --init-from CKPT");
      start = new TrainingRun.Start(null, initFrom, initOptimiser);
    }
    if (device != null) {
      settings = settings.with("device", device);
    }
    RunConfig config = RunConfig.from(settings);
    if (initFrom != null && !Files.isRegularFile(initFrom)) {
      throw new UserInputException("--init-from " + initFrom + " does not exist; give a checkpoint.bin of an earlier run");
    }
    String title = TrainingRun.title(settings);
    TrainingRun run = new TrainingRun(config, dir, title, "coop train " + String.join(" ", commandLine()));

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
      MetricsLog log = run.run(start, stop::get, !noProgress);
      if (stop.get()) {
        System.err.println("coop train: interrupted; checkpoint written to " + dir.resolve(TrainingRun.CHECKPOINT)
            + "; continue with ./coop train --resume --out " + dir);
      } else {
        summarise(log, dir);
      }
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running; it returns once `finished` is counted down
      }
    }
  }

  private List<String> commandLine() {
    List<String> c = new ArrayList<>(List.of("--preset", preset));
    for (String s : sets) {
      c.add("--set");
      c.add(s);
    }
    if (out != null) {
      c.add("--out");
      c.add(out.toString());
    }
    if (device != null) {
      c.add("--device");
      c.add(device);
    }
    if (resume) {
      c.add("--resume");
    }
    if (initFrom != null) {
      c.add("--init-from");
      c.add(initFrom.toString());
    }
    return c;
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
    System.out.printf("run written to %s%n", dir);
    System.out.printf("Flip in-context acc: peak %.3f at %,.0f seqs, final %.3f%n", flip[peak], seqs[peak], flip[last]);
    System.out.printf("ICL in-context acc: max %.3f, final %.3f; CIWL in-context acc final %.3f%n",
        max(icl), icl[last], ciwl[last]);
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }

  private static void printPresets() {
    System.out.println("Presets (./coop train --preset NAME [--set key=value ...]):");
    for (Presets.Preset p : Presets.ALL) {
      System.out.printf("  %-20s %s%n", p.name(), p.description());
      StringBuilder sb = new StringBuilder();
      for (Map.Entry<String, String> e : p.overrides().entrySet()) {
        sb.append(sb.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue());
      }
      System.out.printf("  %-20s   %s%n", "", sb.length() == 0 ? "(defaults)" : sb);
    }
    System.out.println();
    System.out.println("Settings (key, default, meaning); defaults are the authors' main run:");
    for (Settings.Key k : Settings.KEYS) {
      System.out.printf("  %-18s %-10s %s%n", k.name(), k.defaultValue().isEmpty() ? "\"\"" : k.defaultValue(), k.help());
    }
  }

  private void compareRuns() {
    UserInputException.require(labels == null || labels.size() == compare.size(),
        "--labels has " + (labels == null ? 0 : labels.size()) + " names for " + compare.size() + " runs; give one per run");
    List<MetricsLog> logs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < compare.size(); i++) {
      Path m = compare.get(i).resolve(TrainingRun.METRICS);
      UserInputException.require(Files.isRegularFile(m), "--compare: no " + m + "; give run directories of ./coop train");
      logs.add(MetricsLog.read(m));
      names.add(labels != null ? labels.get(i) : String.valueOf(compare.get(i).toAbsolutePath().normalize().getFileName()));
    }
    Path dir = out != null ? out : Path.of("runs", "compare");
    Path base = dir.resolve("compare");
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new UserInputException("cannot create " + dir + " (" + e.getMessage() + "); choose another --out");
    }
    Curves.writeComparison(logs, names, base).forEach(f -> System.out.println("wrote " + f));
  }
}
