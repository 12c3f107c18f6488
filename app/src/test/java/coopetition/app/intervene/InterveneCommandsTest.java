package coopetition.app.intervene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.app.Coop;
import coopetition.app.mech.MechCommandsTest;
import coopetition.transformer.config.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** ./coop intervene, composition and probe on a tiny run with a history; bad input is one line and exit 2. */
class InterveneCommandsTest {
  @TempDir
  static Path tmp;
  static Path run;

  // The same tiny run as the mechanism commands' tests.
  static Settings tiny() {
    return MechCommandsTest.tiny();
  }

  static Path train(Settings s, Path dir) {
    return MechCommandsTest.train(s, dir);
  }

  @BeforeAll
  static void trainRun() {
    run = train(tiny(), tmp.resolve("run"));
  }

  static Object[] coop(String... args) {
    CommandLine cl = Coop.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Object[] {code, err.toString()};
  }

  @Test
  void interveneWritesACsvPerManipulationFig2bAndProvenance() throws Exception {
    Path out = tmp.resolve("iv");
    Object[] r = coop("intervene", "--ckpt", run + "@final", "--evaluator", "ciwl", "--delta", "-1,0,1", "--keep-only", "1:0",
        "--ablate", "label", "--preserve", "patterns", "--force", "0:1=prev_token", "--strength", "0,1", "--rescale", "1:1",
        "--temperature", "1,4", "--out", out.toString(), "--no-progress", "--formats", "png");
    assertEquals(0, r[0], (String) r[1]);
    List<String> clamp = Files.readAllLines(out.resolve("clamp.csv"));
    assertEquals("manipulation,head,value,evaluator,acc,in_context_acc,loss", clamp.get(0));
    assertEquals(1 + 1 + 2 * (1 + 3), clamp.size(), "header, clean, per head: alone + 3 deltas");
    assertTrue(clamp.get(1).startsWith("\"none\",,,ciwl,"), clamp.get(1));
    assertTrue(clamp.stream().anyMatch(l -> l.startsWith("\"keep_only 1:1 + clamp 1:1 delta 1.0\",1:1,1.0,ciwl,")), clamp.toString());
    assertEquals(4, Files.readAllLines(out.resolve("keep_only.csv")).size(), "header, clean, keep-only, and preserving patterns");
    List<String> ablate = Files.readAllLines(out.resolve("ablate.csv"));
    assertTrue(ablate.get(3).startsWith("\"ablate label embedding preserving patterns\""), ablate.toString());
    assertEquals(4, Files.readAllLines(out.resolve("force.csv")).size());
    // temperature 1 is the clean network
    List<String> temp = Files.readAllLines(out.resolve("temperature.csv"));
    assertEquals(temp.get(1).split(",", 4)[3], temp.get(2).split(",", 4)[3]);
    for (String f : List.of("fig2b.png", "force.png", "temperature.png", "intervene.json")) {
      assertTrue(Files.size(out.resolve(f)) > 200, f);
    }
    assertTrue(Files.readString(out.resolve("intervene.json")).contains("\"provenance\""));
  }

  @Test
  void compositionWritesScoresPerCheckpointAndFigures() throws Exception {
    Path out = tmp.resolve("comp");
    Object[] r = coop("composition", "--run", run.toString(), "--out", out.toString(), "--no-progress", "--formats", "png");
    assertEquals(0, r[0], (String) r[1]);
    List<String> lines = Files.readAllLines(out.resolve("composition.csv"));
    assertEquals(1 + 3 * 3 * 2 * 2, lines.size(), "3 checkpoints x Q,K,V x 2x2 heads");
    assertEquals("seqs,kind,sender_layer,sender_head,receiver_layer,receiver_head,score,random_baseline,excess", lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      double score = Double.parseDouble(f[6]);
      double base = Double.parseDouble(f[7]);
      assertTrue(base > 0 && base < 1, line);
      assertEquals(score - base, Double.parseDouble(f[8]), 2e-5, "excess = score - baseline: " + line);
    }
    assertTrue(Files.size(out.resolve("composition.png")) > 1000);
    assertTrue(Files.size(out.resolve("composition_over_training.png")) > 1000);
  }

  @Test
  void probeWritesAccuraciesProvenanceAndCurves() throws Exception {
    Path out = tmp.resolve("probe");
    Object[] r = coop("probe", "--run", run.toString(), "--out", out.toString(), "--no-progress", "--formats", "png");
    assertEquals(0, r[0], (String) r[1]);
    List<String> lines = Files.readAllLines(out.resolve("probes.csv"));
    assertEquals("seqs,task,layer,accuracy,chance,train_size,test_size", lines.get(0));
    assertEquals(1 + 3 * 3 * 3, lines.size(), "3 checkpoints x 3 tasks x 3 layers");
    List<String> prov = Files.readAllLines(out.resolve("probes_provenance.jsonl"));
    assertEquals(27, prov.size());
    assertTrue(prov.get(0).contains("LinearSGDTrainer") && prov.get(0).contains("tribuo_model_provenance"), prov.get(0));
    assertTrue(Files.size(out.resolve("probes.png")) > 1000);
  }

  @Test
  void badInputIsOneLineAndExitTwo() throws Exception {
    Path other = train(tiny().with("d_model", "32").with("train_seqs", "240"), tmp.resolve("other"));
    String otherCkpt;
    try (var files = Files.list(other.resolve("checkpoints"))) {
      otherCkpt = files.sorted().reduce((a, b) -> b).orElseThrow().toString();
    }
    Object[][] cases = {
        coop("intervene", "--ckpt", run + "@final", "--clamp", "3:9", "--out", tmp.resolve("b1").toString()),
        coop("intervene", "--ckpt", run + "@final", "--clamp", "none", "--force", "0:1=prev_token", "--strength", "1.5",
            "--out", tmp.resolve("b2").toString()),
        coop("intervene", "--ckpt", run + "@" + otherCkpt, "--out", tmp.resolve("b3").toString()),
        coop("intervene", "--ckpt", run.toString(), "--out", tmp.resolve("b4").toString()),
        coop("intervene", "--ckpt", run + "@final", "--keep-only", "1:7", "--clamp", "none", "--out", tmp.resolve("b5").toString()),
        coop("intervene", "--ckpt", run + "@final", "--delta", "2", "--out", tmp.resolve("b6").toString()),
        coop("probe", "--run", run.toString(), "--tasks", "colour", "--out", tmp.resolve("b7").toString()),
    };
    String[] expected = {"--clamp: no head 3:9 in a model with 2 layers of 2 heads", "--strength: must be in [0, 1], got 1.5",
        "model", "--ckpt: '" + run + "' is not RUN@SEQS", "--keep-only: no head 1:7", "--delta: must be in [-1, 1]",
        "--tasks: 'colour' is not a probe task"};
    for (int i = 0; i < cases.length; i++) {
      assertEquals(2, cases[i][0], "case " + i + ": " + cases[i][1]);
      String err = ((String) cases[i][1]).strip();
      assertTrue(err.contains(expected[i]), "case " + i + ": " + err);
      assertEquals(1, err.lines().count(), "one line: " + err);
    }
    assertTrue(!Files.exists(tmp.resolve("b1")), "no output for bad input");
  }
}
