package coopetition.app.fit;

import coopetition.comparison.fit.CurvePairing;
import coopetition.comparison.fit.FitResult;
import coopetition.comparison.fit.FitSettings;
import coopetition.comparison.fit.Observations;
import coopetition.comparison.fit.ToyModelCurves;
import coopetition.comparison.report.FitRunner;
import coopetition.comparison.runs.RunData;
import coopetition.comparison.runs.RunReaders;
import coopetition.common.AtomicFiles;
import coopetition.common.UserInputException;
import coopetition.toymodel.SeedList;
import coopetition.transformer.sweep.RunState;
import coopetition.transformer.sweep.SweepManifest;
import coopetition.transformer.sweep.SweepRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./coop fit --sweep DIR}: every finished run of a sweep fitted on its own (each fit under
 * OUT/runs/ID), and one table of toy parameters per run with the grid point and seed set:
 * OUT/toy_parameters.csv and .md. Unfinished runs are listed as skipped.
 */
final class SweepFit {
  private final FitCommand c;

  SweepFit(FitCommand c) {
    this.c = c;
  }

  /** One fitted run: where it sits in the sweep and what the fit found. */
  record Row(SweepRun run, String point, FitRunner.Outcome outcome) {}

  void run() {
    long start = System.nanoTime();
    SweepManifest m = SweepManifest.read(c.sweep);
    CurvePairing pairing = c.pairing();
    FitSettings settings = c.settings();
    ToyModelCurves model = new ToyModelCurves(SeedList.parse(c.seeds, 1000), c.dimsRatios, c.baseDim, c.solver);
    Map<String, Double> fixed = FitCommand.parseFixed(c.fix);
    List<SweepRun> done = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (SweepRun r : m.runs()) {
      RunState st = m.state(r);
      if (st.phase() == RunState.Phase.DONE) {
        done.add(r);
      } else {
        skipped.add(r.id() + " (" + st.phase().name().toLowerCase(Locale.ROOT) + ")");
      }
    }
    UserInputException.requireField(!done.isEmpty(), "sweep", c.sweep + " has no finished run yet ("
        + String.join(", ", skipped) + "); fit it once some runs are done");
    // Read and check every run before the first fit, so bad input costs no fitting time.
    List<RunData> data = new ArrayList<>();
    List<Observations> obs = new ArrayList<>();
    for (SweepRun r : done) {
      RunData d = RunReaders.open(m.runDir(r), c.xColumn);
      data.add(d);
      obs.add(FitRunner.observe(d, pairing, settings));
    }
    System.out.printf("coop fit: sweep %s, %d finished runs%s%n", c.sweep, done.size(),
        skipped.isEmpty() ? "" : ", skipped " + String.join(", ", skipped));
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < done.size(); k++) {
      SweepRun r = done.get(k);
      Map<String, Object> cfg = new LinkedHashMap<>();
      cfg.put("sweep", c.sweep.toString());
      cfg.put("run", r.id());
      cfg.put("settings", settings);
      FitRunner.Outcome o = FitRunner.run(data.get(k), obs.get(k), pairing, model, settings, fixed,
          c.out.resolve("runs").resolve(r.id()), "coop fit --sweep " + c.sweep + " --out " + c.out, cfg,
          c.formats.get());
      rows.add(new Row(r, r.pointLabel(m.spec().axes()), o));
      System.out.printf("%s: %s%n", r.id(), o.quality().line());
    }
    Path csv = c.out.resolve("toy_parameters.csv");
    Path md = c.out.resolve("toy_parameters.md");
    AtomicFiles.writeString(csv, table(rows, true));
    AtomicFiles.writeString(md, table(rows, false));
    System.out.print(table(rows, false));
    System.out.println("wrote " + csv);
    System.out.println("wrote " + md);
    System.out.printf("coop fit: done in %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  /** One row per run: id, grid point, seed set, every parameter (value, interval), R² per curve, the verdict. */
  static String table(List<Row> rows, boolean csv) {
    StringBuilder b = new StringBuilder();
    FitResult first = rows.get(0).outcome().result();
    List<String> head = new ArrayList<>(List.of("run", "point", "seed_set", "variant"));
    for (FitResult.Estimate e : first.parameters()) {
      head.addAll(csv ? List.of(e.name(), e.name() + "_lo", e.name() + "_hi") : List.of(e.name()));
    }
    for (FitResult.CurveFit cf : first.curves()) {
      head.add("r2_" + cf.column());
    }
    head.add("meets_bar");
    b.append(csv ? String.join(",", head) : "| " + String.join(" | ", head) + " |\n|"
        + "---|".repeat(head.size())).append('\n');
    for (Row row : rows) {
      FitResult f = row.outcome().result();
      List<String> cells = new ArrayList<>(List.of(row.run().id(), row.point(), String.valueOf(row.run().seedSet().index()),
          f.variant()));
      for (FitResult.Estimate e : f.parameters()) {
        if (csv) {
          cells.addAll(List.of(num(e.value()), num(e.lower()), num(e.upper())));
        } else {
          cells.add(e.fixed() ? num(e.value()) + " (fixed)" : String.format(Locale.ROOT, "%.3g [%.3g, %.3g]",
              e.value(), e.lower(), e.upper()));
        }
      }
      for (FitResult.CurveFit cf : f.curves()) {
        cells.add(String.format(Locale.ROOT, "%.3f", cf.r2()));
      }
      cells.add(String.valueOf(row.outcome().quality().meetsBar()));
      if (csv) {
        b.append(String.join(",", cells.stream().map(SweepFit::csvCell).toList())).append('\n');
      } else {
        b.append("| ").append(String.join(" | ", cells)).append(" |\n");
      }
    }
    return b.toString();
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
  }

  private static String csvCell(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
