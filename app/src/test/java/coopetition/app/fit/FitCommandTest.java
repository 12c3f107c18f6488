package coopetition.app.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import coopetition.app.Coop;
import coopetition.comparison.fit.ToyModelCurves;
import coopetition.comparison.report.SyntheticRun;
import coopetition.common.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** ./coop fit end to end on a transformer-like metrics.csv run written by the test, and on bad input. */
class FitCommandTest {
  @TempDir Path dir;

  private record Result(int code, String err) {}

  private static Result coop(String... args) {
    CommandLine cl = Coop.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, err.toString());
  }

  /** A metrics.csv + config.json run in the transformer module's layout, made by the toy (seed 0) plus 2% noise. */
  private Path syntheticRun() {
    ToyModelCurves model = new ToyModelCurves(List.of(0L, 1L), List.of(8), 20, coopetition.toymodel.Solver.FLOW_REDUCED);
    return new SyntheticRun(new double[] {0.1, 0.1, 0.0, 1.0}, 0, 2000.0, -1.0e5,
        new double[][] {{5.0, 1.0}, {6.0, 0.3}, {8.0, 0.2}}, 0.02, 7L, 150, 2.0e7).write(dir.resolve("run"), model);
  }

  @Test
  void fitsAMetricsCsvRunAndWritesEveryOutput() throws IOException {
    Path run = syntheticRun();
    Path out = dir.resolve("fit");
    Result r = coop("fit", "--run", run.toString(), "--out", out.toString(), "--seeds", "0-1", "--restarts", "2",
        "--evaluations", "250", "--bootstrap", "4", "--threads", "2");
    assertEquals(0, r.code(), r.err());
    for (String f : List.of("fit.json", "overlay.png", "overlay.svg", "side_by_side.png", "side_by_side.svg")) {
      assertTrue(Files.size(out.resolve(f)) > 1000, f);
    }
    JsonNode json = Json.read(out.resolve("fit.json"));
    assertEquals("metrics.csv", json.at("/run/format").asText());
    assertTrue(json.at("/run/config/synthetic").asBoolean()); // the run's own config travels along
    assertEquals("icl_loss", json.at("/mapping/mech1").asText());
    assertEquals("mech2:mech1", json.at("/mapping/interference").asText()); // the default map of the CIWL loss
    assertTrue(json.at("/provenance/gitCommit").isTextual());
    for (JsonNode c : json.at("/result/curves")) {
      assertTrue(c.get("r2").asDouble() > 0.97, c.toString());
      JsonNode term = c.get("interference");
      if (c.get("role").asText().equals("MECH2")) {
        assertEquals("MECH1", term.get("partner").asText(), c.toString());
        assertTrue(term.get("value").asDouble() <= 0, c.toString()); // learning ICL can only raise the CIWL loss
      } else {
        assertTrue(term == null || term.isNull(), c.toString());
      }
    }
    // The toy's own transitions happened and were mapped to sequences in order.
    double learned = json.at("/transitions/sequences/mech1Learned").asDouble();
    double cross = json.at("/transitions/sequences/cross").asDouble();
    assertTrue(learned > 0 && cross > learned, json.at("/transitions").toString());
  }

  /** The same kind of run as the authors' log.h5: per-sequence evaluator arrays, their evaluator names. */
  @Test
  void fitsAnAuthorsLogH5() throws IOException {
    Path run = syntheticRun();
    List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
    int n = lines.size() - 1;
    long[] evalIter = new long[n];
    double[][] icl = new double[n][2];
    double[][] ciwl = new double[n][2];
    double[][] train = new double[n][2];
    for (int i = 0; i < n; i++) {
      String[] c = lines.get(i + 1).split(",");
      evalIter[i] = Long.parseLong(c[0]);
      // Two "sequences" per evaluation whose mean is the curve value.
      double tr = Double.parseDouble(c[2]);
      double ic = Double.parseDouble(c[3]);
      double cw = Double.parseDouble(c[4]);
      train[i] = new double[] {tr - 0.1, tr + 0.1};
      icl[i] = new double[] {ic + 0.2, ic - 0.2};
      ciwl[i] = new double[] {cw, cw};
    }
    Path h5 = dir.resolve("log.h5");
    try (io.jhdf.WritableHdfFile f = io.jhdf.HdfFile.write(h5)) {
      f.putDataset("eval_iter", evalIter);
      f.putGroup("icl").putDataset("loss", icl);
      f.putGroup("iwl_copy_avail").putDataset("loss", ciwl);
      f.putGroup("train_eval").putDataset("loss", train);
    }
    Path out = dir.resolve("fit-h5");
    Result r = coop("fit", "--run", h5.toString(), "--out", out.toString(), "--curves",
        "mech1=icl_loss,mech2=ciwl_loss,total=train_eval_loss", "--seeds", "0-1", "--restarts", "2",
        "--evaluations", "250", "--bootstrap", "0", "--no-profile", "--threads", "2");
    assertEquals(0, r.code(), r.err());
    JsonNode json = Json.read(out.resolve("fit.json"));
    assertEquals("log.h5", json.at("/run/format").asText());
    for (JsonNode c : json.at("/result/curves")) {
      assertTrue(c.get("r2").asDouble() > 0.97, c.toString());
    }
  }

  @Test
  void badInputFailsWithOneLineAndNoOutput() throws IOException {
    Path out = dir.resolve("never");
    Result missing = coop("fit", "--run", dir.resolve("nope").toString(), "--out", out.toString());
    assertEquals(Coop.EXIT_USAGE, missing.code());
    assertTrue(missing.err().contains("does not exist"), missing.err());

    Path run = syntheticRun();
    Path csv = run.resolve("metrics.csv");
    List<String> lines = Files.readAllLines(csv);
    String[] cells = lines.get(5).split(",");
    cells[3] = "NaN"; // icl_loss on line 6
    lines.set(5, String.join(",", cells));
    Files.write(csv, lines);
    Result nan = coop("fit", "--run", run.toString(), "--out", out.toString());
    assertEquals(Coop.EXIT_USAGE, nan.code());
    assertTrue(nan.err().contains("line 6, column 'icl_loss'"), nan.err());

    Result curves = coop("fit", "--run", run.toString(), "--out", out.toString(), "--curves", "mech3=icl_loss");
    assertEquals(Coop.EXIT_USAGE, curves.code());
    assertTrue(curves.err().contains("unknown toy curve 'mech3'"), curves.err());

    Result fix = coop("fit", "--run", run.toString(), "--out", out.toString(), "--curves", "mech2=ciwl_loss",
        "--fix", "beta=1");
    assertEquals(Coop.EXIT_USAGE, fix.code());
    assertTrue(fix.err().contains("--fix: unknown parameter 'beta'"), fix.err()); // the field, mapped to its flag
    assertFalse(Files.exists(out), "no output for bad input");
  }

  /** The fit library names its fields (evaluationsPerRun, xColumn, ...); the line names the flag the user typed. */
  @Test
  void badValuesNameTheFlagNotTheLibraryField() throws IOException {
    Path run = syntheticRun();
    Path out = dir.resolve("never");
    Result evals = coop("fit", "--run", run.toString(), "--out", out.toString(), "--evaluations", "10");
    assertEquals(Coop.EXIT_USAGE, evals.code());
    assertTrue(evals.err().contains("--evaluations: must be >= 50, got 10"), evals.err());

    Result ratios = coop("fit", "--run", run.toString(), "--out", out.toString(), "--dims-ratios", "0");
    assertEquals(Coop.EXIT_USAGE, ratios.code());
    assertTrue(ratios.err().contains("--dims-ratios: must be >= 1, got 0"), ratios.err());

    Path plain = Files.copy(run.resolve("metrics.csv"), dir.resolve("plain.csv"));
    Result x = coop("fit", "--run", plain.toString(), "--out", out.toString(), "--x-column", "steps");
    assertEquals(Coop.EXIT_USAGE, x.code());
    assertTrue(x.err().contains("--x-column: ") && x.err().contains("no sequences column 'steps'"), x.err());

    Result column = coop("fit", "--run", run.toString(), "--out", out.toString(), "--curves", "mech1=nope");
    assertEquals(Coop.EXIT_USAGE, column.code());
    assertTrue(column.err().contains("--curves: ") && column.err().contains("no column 'nope'"), column.err());

    Result spec = coop("fit", "--run", run.toString(), "--out", out.toString(), "--curves", "mech1:icl_loss");
    assertEquals(Coop.EXIT_USAGE, spec.code());
    assertTrue(spec.err().contains("--curves: entry 'mech1:icl_loss' is not toycurve=column"), spec.err());
    assertFalse(spec.err().strip().contains("\n"), spec.err());

    for (String bad : new String[] {"mech2", "mech2:mech2", "mech2:mech9"}) {
      Result term = coop("fit", "--run", run.toString(), "--out", out.toString(), "--interference", bad);
      assertEquals(Coop.EXIT_USAGE, term.code(), bad);
      assertTrue(term.err().contains("--interference: "), term.err());
      assertFalse(term.err().strip().contains("\n"), term.err());
    }
    assertFalse(Files.exists(out), "no output for bad input");
  }

  /** A joint fit of runs that share no column: one line naming the problem, exit 2, nothing written. */
  @Test
  void jointFitOfRunsWithNoCommonColumnIsOneLineAndExitTwo() throws IOException {
    Path a = syntheticRun();
    Path b = dir.resolve("other.csv");
    Files.writeString(b, "seqs,grad_norm\n0,1.0\n100,0.5\n200,0.25\n300,0.2\n");
    Path out = dir.resolve("never");
    Result r = coop("fit", "--runs", a + "," + b, "--out", out.toString());
    assertEquals(Coop.EXIT_USAGE, r.code(), r.err());
    String msg = r.err().trim();
    assertFalse(msg.contains("\n"), msg);
    assertTrue(msg.contains("--runs: the runs have no column in common"), msg);
    Result both = coop("fit", "--run", a.toString(), "--runs", a + "," + b, "--out", out.toString());
    assertEquals(Coop.EXIT_USAGE, both.code());
    assertTrue(both.err().contains("either --run"), both.err());
    Result shared = coop("fit", "--runs", a + "," + a, "--shared", "tau", "--out", out.toString());
    assertEquals(Coop.EXIT_USAGE, shared.code());
    assertTrue(shared.err().contains("--shared: 'tau' is not a free toy parameter"), shared.err());
    assertFalse(Files.exists(out), "no output for bad input");
  }
}
