package coopetition.app.mech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.transformer.donor.DonorTables;
import coopetition.transformer.train.CheckpointHistory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./coop donors on tiny runs: the drivers skip finished children, print an estimate, and reject bad input. */
class DonorsCommandTest {
  @TempDir
  static Path tmp;
  static Path ciwl;

  @BeforeAll
  static void trainDonorRun() {
    ciwl = MechCommandsTest.train(MechCommandsTest.tiny().with("train_data", "ciwl_only"), tmp.resolve("ciwl"));
  }

  /** Runs ./coop with args; returns {exit code, stderr, stdout}. */
  static Object[] coop(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      Object[] r = MechCommandsTest.coop(args);
      return new Object[] {r[0], r[1], buf.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(old);
    }
  }

  @Test
  void fig4bSkipsFinishedChildrenOnRerunAndPrintsAnEstimate() throws Exception {
    Path out = tmp.resolve("4b");
    String[] args = {"donors", "4b", "--run", ciwl.toString(), "--checkpoints", "0,240,480", "--seqs", "160",
        "--evals", "2", "--out", out.toString(), "--no-progress", "--formats", "png"};
    Object[] first = coop(args);
    assertEquals(0, first[0], (String) first[1]);
    String log = (String) first[2];
    assertTrue(log.contains("estimate"), log);
    assertTrue(log.contains("4b [2/4] donor-000000000000: training"), log);
    List<String> summary = Files.readAllLines(out.resolve(DonorTables.SUMMARY));
    assertEquals(5, summary.size()); // header + no-donor + three donors
    assertTrue(Files.isRegularFile(out.resolve("fig4b.png")));
    long firstWrite = Files.getLastModifiedTime(out.resolve("donor-000000000240/checkpoint.bin")).toMillis();
    String curves = Files.readString(out.resolve(DonorTables.CURVES));

    Object[] again = coop(args);
    assertEquals(0, again[0], (String) again[1]);
    String log2 = (String) again[2];
    assertEquals(4, log2.lines().filter(l -> l.endsWith("finished before, skipped")).count(), log2);
    assertFalse(log2.contains(": training"), log2);
    assertTrue(log2.contains("0 left to train"), log2);
    assertEquals(firstWrite, Files.getLastModifiedTime(out.resolve("donor-000000000240/checkpoint.bin")).toMillis());
    assertEquals(curves, Files.readString(out.resolve(DonorTables.CURVES)));
  }

  @Test
  void fig4cContinuesOnTheDonorsSequenceCounter() throws Exception {
    Path out = tmp.resolve("4c");
    Object[] r = coop("donors", "4c", "--run", ciwl.toString(), "--checkpoints", "240", "--seqs", "160", "--evals", "2",
        "--out", out.toString(), "--no-progress", "--formats", "png");
    assertEquals(0, r[0], (String) r[1]);
    List<String> rows = Files.readAllLines(out.resolve(DonorTables.CURVES));
    assertTrue(rows.get(1).startsWith("from-000000000240,240,240,0,"), rows.get(1));
    assertTrue(rows.get(rows.size() - 1).startsWith("from-000000000240,240,400,160,"), rows.get(rows.size() - 1));
  }

  @Test
  void aLongerSeqsExtendsFinishedChildren() throws Exception {
    Path out = tmp.resolve("extend");
    String[] first = {"donors", "4c", "--run", ciwl.toString(), "--checkpoints", "480", "--seqs", "160", "--evals", "2",
        "--out", out.toString(), "--no-progress", "--formats", "png"};
    assertEquals(0, coop(first)[0]);
    Object[] r = coop("donors", "4c", "--run", ciwl.toString(), "--checkpoints", "480", "--seqs", "240", "--evals", "3",
        "--out", out.toString(), "--no-progress", "--formats", "png");
    assertEquals(0, r[0], (String) r[1]);
    assertTrue(((String) r[2]).contains("from-000000000480: resuming at 160 to 240"), (String) r[2]);
    List<String> rows = Files.readAllLines(out.resolve(DonorTables.CURVES));
    assertTrue(rows.get(rows.size() - 1).startsWith("from-000000000480,480,720,240,"), rows.get(rows.size() - 1));
  }

  @Test
  void aDonorOfAnotherShapeIsOneLineAndExit2() throws Exception {
    Path donor = CheckpointHistory.fileFor(ciwl, 480);
    Path out = tmp.resolve("shape");
    Object[] r = coop("donors", "4a", "--donor", donor.toString(), "--set", "d_model=32", "--seqs", "160",
        "--out", out.toString(), "--no-progress");
    assertEquals(2, r[0]);
    String err = ((String) r[1]).strip();
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.contains("shape") && err.contains(donor.toString()), err);
    assertFalse(Files.exists(out.resolve("donor")), "nothing trained");
  }

  @Test
  void reproducePrintsItsEstimateAndTrainsNothingWithEstimateOnly() {
    Path out = tmp.resolve("plan");
    Object[] r = coop("reproduce", "all", "--estimate-only", "--out", out.toString());
    assertEquals(0, r[0], (String) r[1]);
    String log = (String) r[2];
    assertTrue(log.contains("estimate: "), log);
    assertTrue(log.contains("run main 3,000,000 sequences") && log.contains("run ciwl-only 1,000,000 sequences"), log);
    assertTrue(log.contains("4b: 9 trainings of 250,000"), log);
    assertTrue(log.contains("4,000 seq/s") && log.contains("recorded: reference-runs/quick"), log);
    assertFalse(Files.exists(out.resolve("runs")), "nothing trained");
    Object[] paper = coop("reproduce", "4b", "--scale", "paper", "--estimate-only", "--out", out.toString());
    assertEquals(0, paper[0], (String) paper[1]);
    assertTrue(((String) paper[2]).contains("assumed, not measured"), (String) paper[2]);
    Object[] bad = coop("reproduce", "4b", "--scale", "huge", "--estimate-only", "--out", out.toString());
    assertEquals(2, bad[0]);
    assertTrue(((String) bad[1]).contains("--scale") && ((String) bad[1]).contains("quick or paper"), (String) bad[1]);
  }

  @Test
  void reproduceDrawsFig4AndFig1bFromGivenRunsAndReports() throws Exception {
    Path out = tmp.resolve("repro");
    Path normal = MechCommandsTest.train(MechCommandsTest.tiny(), tmp.resolve("normal"));
    Object[] r = coop("reproduce", "1b", "4a", "4b", "4c", "--run", normal.toString(), "--ciwl-run", ciwl.toString(),
        "--child-seqs", "80", "--out", out.toString(), "--no-progress", "--formats", "png");
    assertEquals(0, r[0], (String) r[1]);
    String report = Files.readString(out.resolve("REPORT.md"));
    for (String fig : List.of("| 1b |", "| 4a |", "| 4b |", "| 4c |")) {
      assertTrue(report.contains(fig), fig + " in\n" + report);
    }
    for (String f : List.of("fig1b.png", "fig4a/fig4a.png", "fig4b/fig4b.png", "fig4c/fig4c.png")) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    assertFalse(Files.exists(out.resolve("runs/main")), "the given run is used, not trained");
  }

  @Test
  void unknownFiguresAreOneLineAndExit2() {
    Object[] d = coop("donors", "4d", "--out", tmp.resolve("x").toString());
    assertEquals(2, d[0]);
    assertTrue(((String) d[1]).contains("unknown figure '4d'"), (String) d[1]);
    Object[] r = coop("reproduce", "7z", "--out", tmp.resolve("y").toString());
    assertEquals(2, r[0]);
    assertTrue(((String) r[1]).contains("unknown figure '7z'"), (String) r[1]);
    assertEquals(1, ((String) r[1]).strip().lines().count(), (String) r[1]);
  }
}
