package coopetition.app.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.app.Coop;
import coopetition.comparison.fit.ToyModelCurves;
import coopetition.comparison.report.SyntheticRun;
import coopetition.transformer.sweep.GridAxis;
import coopetition.transformer.sweep.SweepManifest;
import coopetition.transformer.sweep.SweepRun;
import coopetition.transformer.sweep.SweepSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** ./coop fit --sweep: every finished run of a sweep fitted, one table of toy parameters per run. */
class SweepFitTest {
  @TempDir Path dir;

  @Test
  void fitsEveryFinishedRunAndWritesTheTable() throws IOException {
    SweepManifest m = SweepManifest.openOrCreate(dir.resolve("sweep"), new SweepSpec("quick",
        List.of("train_seqs=12800", "eval_every=1600"), List.of(new GridAxis("lr", List.of("1e-3", "3e-3", "1e-2"))),
        List.of(0)));
    m.write(Map.of());
    ToyModelCurves model = new ToyModelCurves(List.of(0L), List.of(8), 20, coopetition.toymodel.Solver.FLOW_REDUCED);
    List<SweepRun> runs = m.runs();
    for (int k = 0; k < 2; k++) { // the third run never started
      double f = runs.get(k).finalSeqs() / 2.0e7;
      new SyntheticRun(new double[] {0.1 + 0.1 * k, 0.1, 0.0, 1.0}, 0, 2000.0 * f, -1.0e5 * f,
          new double[][] {{5.0, 1.0}, {6.0, 0.3}, {8.0, 0.2}}, 0.02, 7L + k, 100, runs.get(k).finalSeqs())
          .write(m.runDir(runs.get(k)), model);
    }
    Path out = dir.resolve("fits");
    StringWriter err = new StringWriter();
    CommandLine cl = Coop.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("fit", "--sweep", m.dir().toString(), "--out", out.toString(), "--seeds", "0",
        "--restarts", "1", "--evaluations", "200", "--bootstrap", "0", "--no-profile", "--threads", "2",
        "--fix", "mu2=0,init_scale=1");
    assertEquals(0, code, err.toString());
    List<String> csv = Files.readAllLines(out.resolve("toy_parameters.csv"));
    assertEquals(3, csv.size(), String.join("\n", csv)); // header + the two finished runs
    assertTrue(csv.get(0).startsWith("run,point,seed_set,variant,alpha,alpha_lo,alpha_hi,mu1"), csv.get(0));
    assertTrue(csv.get(1).startsWith(runs.get(0).id() + ",lr=1e-3,0,"), csv.get(1));
    assertTrue(csv.get(2).startsWith(runs.get(1).id() + ",lr=3e-3,0,"), csv.get(2));
    String md = Files.readString(out.resolve("toy_parameters.md"));
    assertTrue(md.startsWith("| run | point |") && md.contains("| " + runs.get(1).id() + " | lr=3e-3 |"), md);
    assertTrue(Files.isRegularFile(out.resolve("runs").resolve(runs.get(0).id()).resolve("fit.json")));
    assertTrue(!Files.exists(out.resolve("runs").resolve(runs.get(2).id())), "the unfinished run is skipped");
  }
}
