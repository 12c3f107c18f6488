package coopetition.app.mech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.app.Coop;
import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.config.Settings;
import coopetition.transformer.train.TrainingRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** ./coop eval, attention and graft on a tiny run with a checkpoint history; bad input is one line and exit 2. */
public class MechCommandsTest {
  @TempDir
  static Path tmp;
  static Path run;

  public static Settings tiny() {
    return Settings.defaults().withAll(Map.ofEntries(
        Map.entry("classes", "16"), Map.entry("exemplars", "4"), Map.entry("dim", "8"), Map.entry("d_model", "16"),
        Map.entry("heads", "2"), Map.entry("lr", "3e-3"), Map.entry("batch", "8"), Map.entry("train_seqs", "480"),
        Map.entry("eval_every", "240"), Map.entry("eval_seqs", "40"), Map.entry("ckpt_every", "240"),
        Map.entry("threads", "1")));
  }

  public static Path train(Settings s, Path dir) {
    new TrainingRun(TrainConfig.from(s), dir, "test").run(TrainingRun.Start.fresh(), () -> false, false);
    return dir;
  }

  /** The <evaluator>_<metric> cells of a metrics.csv row: after seqs, step, train_loss; before train_loss_exploded. */
  static String evalColumns(String metricsRow) {
    String rest = metricsRow.split(",", 4)[3];
    return rest.substring(0, rest.lastIndexOf(','));
  }

  @BeforeAll
  static void trainRun() {
    run = train(tiny(), tmp.resolve("run"));
  }

  /** Runs ./coop with args; returns {exit code, stderr}. */
  static Object[] coop(String... args) {
    CommandLine cl = Coop.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Object[] {code, err.toString()};
  }

  @Test
  void evalWritesOneRowPerCheckpointMatchingMetricsCsv() throws Exception {
    assertEquals(0, coop("eval", "--run", run.toString(), "--no-progress")[0]);
    List<String> lines = Files.readAllLines(run.resolve(EvalCommand.OUTPUT));
    List<String> metrics = Files.readAllLines(run.resolve(TrainingRun.METRICS));
    assertEquals(4, lines.size()); // header + 0, 240, 480
    assertTrue(lines.get(0).startsWith("seqs,train_eval_loss,train_eval_acc,"), lines.get(0));
    // the same numbers as the run logged (metrics.csv has step and train_loss before them)
    assertEquals(evalColumns(metrics.get(3)), lines.get(3).split(",", 2)[1]);
    assertEquals("480", lines.get(3).split(",")[0]);
  }

  @Test
  void attentionWritesLongCsvAndFigures() throws Exception {
    Path out = tmp.resolve("att");
    assertEquals(0, coop("attention", "--run", run.toString(), "--evaluator", "flip,ciwl", "--checkpoints", "0,480",
        "--out", out.toString(), "--no-progress", "--formats", "png")[0]);
    List<String> lines = Files.readAllLines(out.resolve(AttentionCommand.OUTPUT));
    assertEquals("seqs,evaluator,layer,head,measure,key_token,correct_label_token,value,sequences", lines.get(0));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("480,flip,2,1,induction_strength,,,")));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("0,ciwl,2,2,query_row_by_correct_label,3,4,")));
    for (String f : List.of("induction_strength.png", "previous_token.png", "fig2a.png")) {
      assertTrue(Files.size(out.resolve(f)) > 1000, f);
    }
  }

  @Test
  void graftWritesPairsAndFigure() throws Exception {
    Path out = tmp.resolve("graft");
    assertEquals(0, coop("graft", "--run", run.toString(), "--early", "all", "--late", "final", "--split-after-layer", "1",
        "--out", out.toString(), "--no-progress", "--formats", "png")[0]);
    List<String> lines = Files.readAllLines(out.resolve(GraftCommand.OUTPUT));
    assertTrue(lines.get(0).startsWith("early_seqs,late_seqs,train_eval_loss,"), lines.get(0));
    assertEquals(4, lines.size());
    // graft of the final checkpoint with itself = the final checkpoint = the run's last metrics row
    List<String> metrics = Files.readAllLines(run.resolve(TrainingRun.METRICS));
    assertEquals(evalColumns(metrics.get(metrics.size() - 1)), lines.get(3).split(",", 3)[2]);
    assertTrue(Files.size(out.resolve("graft.png")) > 1000);
  }

  @Test
  void reproduceWritesFiguresAndReport() throws Exception {
    Path out = tmp.resolve("repro");
    assertEquals(0, coop("reproduce", "2a", "2b", "3a", "3b", "3c", "pt", "--run", run.toString(), "--out", out.toString(), "--no-progress",
        "--formats", "png")[0]);
    String report = Files.readString(out.resolve("REPORT.md"));
    for (String fig : List.of("| 2a |", "| 2b |", "| 3a |", "| 3b |", "| 3c |", "| PT |")) {
      assertTrue(report.contains(fig), fig + " in\n" + report);
    }
    // 3b at the final checkpoint grafts it with itself: no difference there
    assertTrue(Files.readAllLines(out.resolve("graft_3b.csv")).size() == 4);
    assertEquals(1 + 1 + 2 * 10, Files.readAllLines(out.resolve("clamp_2b.csv")).size(), "clean + 2 heads x (alone + 9 deltas)");
    for (String f : List.of("fig2a.png", "fig2b.png", "fig3a_induction_strength.png", "fig3b.png", "fig3c.png", "previous_token.png")) {
      assertTrue(Files.size(out.resolve(f)) > 1000, f);
    }
    // Reproducing another figure into the same OUT keeps the earlier rows, in figure order.
    assertEquals(0, coop("reproduce", "5a", "--out", out.toString(), "--no-progress", "--formats", "png")[0]);
    String again = Files.readString(out.resolve("REPORT.md"));
    assertTrue(again.contains("| 2a |") && again.contains("| PT |"), again);
    assertTrue(again.indexOf("| PT |") < again.indexOf("| 5a |"), again);
    Object[] bad = coop("reproduce", "4z", "--run", run.toString(), "--out", tmp.resolve("r4").toString());
    assertEquals(2, bad[0]);
    assertTrue(((String) bad[1]).contains("unknown figure '4z'"), (String) bad[1]);
  }

  @Test
  void badInputIsOneLineAndExitTwo() throws Exception {
    Path other = train(tiny().with("classes", "20").with("train_seqs", "240"), tmp.resolve("other"));
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Object[][] cases = {
        coop("graft", "--run", run.toString(), "--early", "all", "--split-after-layer", "3", "--out", tmp.resolve("g3").toString()),
        coop("graft", "--run", run.toString(), "--early", "all", "--late-run", other.toString(), "--split-after-layer", "1",
            "--out", tmp.resolve("gx").toString()),
        coop("attention", "--run", run.toString(), "--evaluator", "flop"),
        coop("eval", "--run", empty.toString()),
        coop("eval", "--run", run.toString(), "--checkpoints", "123"),
    };
    String[] expected = {"--split-after-layer: layer 3 does not exist", "model", "unknown evaluator 'flop'",
        "has no config.json and eval_set.bin", "no checkpoint at 123 sequences"};
    for (int i = 0; i < cases.length; i++) {
      assertEquals(2, cases[i][0], "case " + i + ": " + cases[i][1]);
      String err = ((String) cases[i][1]).strip();
      assertTrue(err.contains(expected[i]), "case " + i + ": " + err);
      assertEquals(1, err.lines().count(), "one line: " + err);
    }
    // a run without history
    Path noHistory = train(tiny().with("ckpt_history", "false").with("train_seqs", "240"), tmp.resolve("nohist"));
    Object[] r = coop("eval", "--run", noHistory.toString());
    assertEquals(2, r[0]);
    assertTrue(((String) r[1]).contains("has no checkpoint history"), (String) r[1]);
  }
}
