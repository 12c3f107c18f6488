package coopetition.app.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.app.Coop;
import coopetition.transformer.train.Checkpoint;
import coopetition.transformer.train.MetricsLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The train commands through the real CLI root, on a tiny model: exit codes, error lines, files. */
class TrainCommandsTest {
  @TempDir Path tmp;

  record Result(int exit, String err) {}

  /** 16 classes of 8-d features, width 16, 120 steps of 8, a checkpoint every 30 steps. */
  static final List<String> TINY = List.of("--set", "classes=16", "--set", "exemplars=4", "--set", "dim=8",
      "--set", "d_model=16", "--set", "heads=2", "--set", "batch=8", "--set", "train_seqs=960", "--set",
      "eval_every=240", "--set", "eval_seqs=40", "--set", "ckpt_every=240", "--set", "threads=1", "--no-progress");

  static Result run(List<String> args) {
    CommandLine cl = Coop.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args.toArray(String[]::new));
    return new Result(exit, err.toString());
  }

  static List<String> train(Path out, String... more) {
    List<String> a = new ArrayList<>(List.of("train", "--out", out.toString()));
    a.addAll(TINY);
    a.addAll(List.of(more));
    return a;
  }

  /** stderr without the engine's own log lines. */
  static List<String> ourLines(String err) {
    return err.lines().filter(l -> l.startsWith("coop ")).toList();
  }

  @Test
  void aDivergingRunStopsAtTheFirstNonFiniteLossWithExit3AndKeepsItsFiles() throws Exception {
    Path out = tmp.resolve("nan");
    Result r = run(train(out, "--set", "lr=1e8"));
    assertEquals(RunLauncher.EXIT_DIVERGED, r.exit(), r.err());
    List<String> lines = ourLines(r.err());
    assertEquals(1, lines.size(), r.err());
    String line = lines.get(0);
    assertTrue(line.startsWith("coop train: training diverged: loss NaN at step "), line);
    assertTrue(line.contains(" sequences seen); last good checkpoint " + out.resolve("checkpoint.bin") + " (step 0, 0"
        + " sequences)"), line);
    // What was written before stays: the step-0 eval row and a checkpoint of finite parameters.
    MetricsLog log = MetricsLog.read(out.resolve("metrics.csv"));
    assertEquals(1, log.rows().size());
    for (int i = 3; i < log.columns().size(); i++) {
      assertTrue(Double.isFinite(log.rows().get(0)[i]), log.columns().get(i));
    }
    for (float[] a : Checkpoint.read(out.resolve("checkpoint.bin")).params().values()) {
      for (float x : a) {
        assertTrue(Float.isFinite(x));
      }
    }
  }

  @Test
  void anExplodingFiniteLossIsWarnedOnceAndFlaggedInMetrics() throws Exception {
    Path out = tmp.resolve("boom");
    Result r = run(train(out, "--set", "lr=50"));
    assertEquals(0, r.exit(), r.err());
    List<String> warnings = ourLines(r.err()).stream().filter(l -> l.contains("warning: training loss")).toList();
    assertEquals(1, warnings.size(), r.err());
    assertTrue(warnings.get(0).contains("is above 10·ln C = 27.7"), warnings.get(0));
    double[] flag = MetricsLog.read(out.resolve("metrics.csv")).column(MetricsLog.EXPLODED);
    assertEquals(0, flag[0], "no step before the first eval");
    assertEquals(1, flag[flag.length - 1]);
    // A healthy run: no warning, every flag 0.
    Path calm = tmp.resolve("calm");
    Result ok = run(train(calm, "--set", "lr=3e-3"));
    assertEquals(0, ok.exit(), ok.err());
    assertFalse(ok.err().contains("warning"), ok.err());
    for (double f : MetricsLog.read(calm.resolve("metrics.csv")).column(MetricsLog.EXPLODED)) {
      assertEquals(0, f);
    }
  }

  @Test
  void badSettingsNameTheFlagTheUserTyped() {
    Result lr = run(train(tmp.resolve("x"), "--set", "lr=-1"));
    assertEquals(2, lr.exit());
    assertEquals(List.of("coop train: error: --set lr: must be positive, got -1.0"), ourLines(lr.err()));
    Result typo = run(train(tmp.resolve("x"), "--set", "lrate=1"));
    assertEquals(List.of("coop train: error: --set: unknown setting 'lrate'; did you mean lr?"), ourLines(typo.err()));
    Result preset = run(List.of("train", "--preset", "quik", "--out", tmp.resolve("x").toString()));
    assertTrue(ourLines(preset.err()).get(0).startsWith("coop train: error: --preset: unknown preset 'quik'; one of"),
        preset.err());
    assertFalse(Files.exists(tmp.resolve("x")), "nothing written on bad input");
  }

  @Test
  void resumeAndReplotAreSubcommandsOfTrain() throws Exception {
    Path out = tmp.resolve("run");
    List<String> shorter = train(out, "--set", "lr=3e-3");
    shorter.set(shorter.indexOf("train_seqs=960"), "train_seqs=480");
    assertEquals(0, run(shorter).exit());
    Result longer = run(List.of("resume", out.toString(), "--set", "train_seqs=960", "--no-progress").stream()
        .collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), l -> {
          l.add(0, "train");
          return l;
        })));
    assertEquals(0, longer.exit(), longer.err());
    assertEquals(1 + 5, Files.readAllLines(out.resolve("metrics.csv")).size(), "evals at 0, 240, 480, 720 and 960");
    Result lr = run(List.of("train", "resume", out.toString(), "--set", "lr=1"));
    assertEquals(2, lr.exit());
    assertTrue(ourLines(lr.err()).get(0).startsWith("coop resume: error: --set: resume keeps the checkpoint's settings"),
        lr.err());
    Files.delete(out.resolve("curves.png"));
    Result re = run(List.of("train", "replot", out.toString(), "--formats", "png,pdf"));
    assertEquals(0, re.exit(), re.err());
    assertTrue(Files.isRegularFile(out.resolve("curves.png")) && Files.isRegularFile(out.resolve("curves.pdf")));
  }

  @Test
  void listPresetsPrintsEachPresetWithItsDescriptionAndSettings() {
    CommandLine cl = Coop.commandLine();
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    System.setOut(new java.io.PrintStream(buf, true));
    try {
      assertEquals(0, cl.execute("train", "--list-presets"));
    } finally {
      System.setOut(old);
    }
    String text = buf.toString();
    assertTrue(text.contains("quick                CPU demo of emergence and transience"), text);
    assertTrue(text.contains("classes=6144 dim=64 eps=0.1 lr=3e-4"), text);
    assertTrue(text.contains("weight-decay-adamw"), text);
  }
}
