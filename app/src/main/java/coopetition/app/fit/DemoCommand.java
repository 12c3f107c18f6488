package coopetition.app.fit;

import coopetition.app.FigureFormats;
import coopetition.comparison.fit.CurvePairing;
import coopetition.comparison.fit.FitResult;
import coopetition.comparison.fit.FitSettings;
import coopetition.comparison.fit.Observations;
import coopetition.comparison.fit.ToyModelCurves;
import coopetition.comparison.report.FitRunner;
import coopetition.comparison.report.SyntheticRun;
import coopetition.comparison.runs.RunData;
import coopetition.comparison.runs.RunReaders;
import coopetition.figures.FigureWriter;
import coopetition.figures.Palette;
import coopetition.figures.Panel;
import coopetition.figures.Series;
import coopetition.common.AtomicFiles;
import coopetition.common.Json;
import coopetition.common.Provenance;
import coopetition.toymodel.Solver;
import coopetition.toymodel.SolverSettings;
import coopetition.toymodel.Summary;
import coopetition.toymodel.ToyConfig;
import coopetition.toymodel.ToySimulator;
import coopetition.toymodel.Trajectory;
import coopetition.toymodel.landmark.Landmarks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./coop demo}: the whole story in under a minute. The toy model at the paper's setting,
 * then the toy fitted to a transformer run: reference-runs/quick if present, otherwise a run the
 * demo makes with the toy model plus noise (and says so).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Runs the toy model at the paper's setting and fits it to reference-runs/quick/metrics.csv "
        + "(or, when that is missing, to a synthetic run made by the toy model plus noise); writes figures and "
        + "REPORT.md to --out.")
public final class DemoCommand implements Runnable {
  @Mixin FigureFormats formats = new FigureFormats();
  @Option(names = "--out", defaultValue = "out/demo", description = "Output directory.")
  Path out;

  @Option(names = "--threads", defaultValue = "0", description = "Worker threads (0 = all cores).")
  int threads;

  static final String REFERENCE = "reference-runs/quick";

  @Override
  public void run() {
    long start = System.nanoTime();
    Path home = Path.of(System.getProperty("coop.home", ".")).toAbsolutePath().normalize();
    Path reference = home.resolve(REFERENCE);
    boolean haveReference = Files.isRegularFile(reference.resolve("metrics.csv"));
    AtomicFiles.prepareDirectory(out);
    StringBuilder md = new StringBuilder("# coop demo\n\n");

    // 1. The toy model at the paper's setting (Fig. 5a).
    long t1 = System.nanoTime();
    SolverSettings gd = SolverSettings.defaults(Solver.GD_REDUCED);
    double[] steps = ToySimulator.grid(16000, 10);
    StringBuilder table = new StringBuilder("| seed | mech. 1 learned | L2 crosses L1 | mech. 1 transient | early stop |\n"
        + "|---:|---:|---:|:---:|---:|\n");
    long shown = -1;
    Trajectory shownTr = null;
    for (long seed = 0; seed < 12; seed++) {
      Trajectory tr = ToySimulator.solve(ToyConfig.paper().withSeed(seed), gd, steps);
      Summary s = Summary.of(tr);
      table.append(String.format("| %d | %s | %s | %s | %s |%n", seed, step(s.tMech1Learned()), step(s.tCross()),
          s.mech1Transient() ? "yes" : "no", step(s.tStop())));
      if (shown < 0 && s.mech1Transient() && s.tCross() < 7000) {
        shown = seed;
        shownTr = tr;
      }
    }
    if (shownTr == null) {
      shown = ToyConfig.paper().seed();
      shownTr = ToySimulator.solve(ToyConfig.paper(), gd, steps);
    }
    ToyConfig paper = ToyConfig.paper().withSeed(shown);
    Landmarks ev = Summary.of(shownTr).landmarks();
    Panel.Builder p = Panel.builder(String.format("Toy model, paper setting (alpha %.1f, mu1 %.1f, mu2 %.0f), seed %d",
        paper.alpha(), paper.mu1(), paper.mu2(), shown)).axes("GD step", "loss").xRange(-200, 8000);
    p.yRange(-0.01, 0.6);
    p.add(Series.line("Train loss", shownTr.t(), shownTr.loss(), Palette.TOTAL));
    p.add(Series.line("Mechanism 1 loss", shownTr.t(), shownTr.l1(), Palette.MECH1).withOffset(paper.mu1()));
    p.add(Series.line("Mechanism 2 loss", shownTr.t(), shownTr.l2(), Palette.MECH2));
    coopetition.comparison.report.FitFigures.eventLines(p, ev, -0.01, 0.6);
    FigureWriter.write(p.build(), out.resolve("toy_paper"), formats.get());
    Json.write(out.resolve("toy_paper.json"), Map.of("config", paper, "solver", "gd-reduced, lr 1, early stop at loss < 1e-6",
        "provenance", Provenance.capture("coop demo")));
    double toySeconds = (System.nanoTime() - t1) / 1e9;
    System.out.printf("coop demo: toy model at the paper's setting, seeds 0-11 (%.2f s) -> %s%n", toySeconds,
        out.resolve("toy_paper.png"));

    md.append("## 1. The toy model at the paper's setting\n\n");
    md.append(String.format("Loss = (L1 + mu1)(L2 + mu2) + alpha·Cost with alpha = %.1f, mu1 = %.1f, mu2 = %.0f, "
        + "dims (%d, %d, %d, %d), gradient descent at learning rate 1, early stop at Loss < 1e-6 (the authors' solver, "
        + "on the exact 8-scalar reduction). The paper's seed 7 is a JAX seed and cannot be reproduced in Java; the "
        + "figure shows seed %d, the first of 0-11 whose mechanism 1 is transient before step 7000.%n%n",
        paper.alpha(), paper.mu1(), paper.mu2(), paper.na(), paper.nb(), paper.nc(), paper.nd(), shown));
    md.append("![toy model](toy_paper.png)\n\n").append(table).append('\n');

    // 2. The fit.
    Path runDir;
    String source;
    SyntheticRun synthetic = null;
    ToyModelCurves model = ToyModelCurves.fitDefaults(6); // the candidates ./coop fit tries by default
    ToyModelCurves truthModel = ToyModelCurves.paperDims(6); // a synthetic run's truth: the paper's dims
    if (haveReference) {
      runDir = reference;
      source = "the reference transformer run " + REFERENCE + "/metrics.csv";
    } else {
      synthetic = SyntheticRun.demo();
      runDir = synthetic.write(out.resolve("synthetic-run"), truthModel); // the paper's dims
      source = "a SYNTHETIC run made by the toy model itself plus 2% noise (" + REFERENCE
          + "/metrics.csv does not exist yet), written to " + runDir.resolve("metrics.csv");
    }
    System.out.println("coop demo: fitting the toy model to " + source);
    CurvePairing pairing = CurvePairing.defaults();
    int th = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    FitSettings settings = FitSettings.defaults().withThreads(th).withSearch(3, 400, 3).withBootstrap(10)
        .withProgress(true);
    RunData data = RunReaders.open(runDir, "seqs");
    Observations obs = FitRunner.observe(data, pairing, settings);
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("source", source);
    cfg.put("settings", settings);
    cfg.put("seeds", "0-5");
    FitRunner.Outcome o = FitRunner.run(data, obs, pairing, model, settings, Map.of(), out.resolve("fit"),
        "coop demo", cfg, formats.get());
    String summary = FitRunner.summary(o);
    System.out.print(summary);

    md.append("## 2. The toy model fitted to a transformer run\n\n");
    if (synthetic != null) {
      md.append("**Note: no reference transformer run was found, so this fit is to ").append(source)
          .append(". It checks the fitting machinery, not the paper's claim.**\n\n");
    } else {
      md.append("Fitted to ").append(source).append(".\n\n");
    }
    md.append("Mapping: mechanism 1 loss ↔ ICL loss (icl_loss), mechanism 2 loss ↔ CIWL loss (ciwl_loss), total "
        + "↔ training loss (train_loss); toy time t = (sequences − t0)/tau; each run curve ≈ scale · toy curve + "
        + "offset, the CIWL loss + s12 · L1 with s12 ≤ 0 (learning ICL can only raise it; bounded).\n\n");
    md.append("```\n").append(summary).append("```\n\n");
    if (synthetic != null) {
      md.append(truthTable(o.result(), synthetic, truthModel)).append('\n');
    }
    md.append("![overlay](fit/overlay.png)\n\n![side by side](fit/side_by_side.png)\n\n");
    md.append("Files: [fit.json](fit/fit.json), overlay.svg, side_by_side.svg, toy_paper.svg.\n\n");
    double total = (System.nanoTime() - start) / 1e9;
    md.append(String.format("Total time %.1f s on %d thread(s) (toy model %.2f s, fit %.1f s, %d toy solves).%n",
        total, th, toySeconds, o.result().wallSeconds(), o.result().toySolves()));
    AtomicFiles.writeString(out.resolve("REPORT.md"), md.toString());
    System.out.printf("coop demo: wrote %s (%.1f s)%n", out.resolve("REPORT.md"), total);
  }

  private static String truthTable(FitResult r, SyntheticRun s, ToyModelCurves model) {
    double[] truth = {s.toyValues()[0], s.toyValues()[1], s.toyValues()[2], s.toyValues()[3], s.tau(), s.t0()};
    StringBuilder b = new StringBuilder(String.format("True variant: %s; fitted: %s.%n%n", model.variants().get(s.variant()),
        r.variant()));
    b.append("| parameter | truth | fit | joint 95% interval | truth inside |\n|---|---:|---:|---|:---:|\n");
    for (int i = 0; i < truth.length; i++) {
      FitResult.Estimate e = r.parameters().get(i);
      b.append(String.format("| %s | %.4g | %.4g | [%.4g, %.4g] | %s |%n", e.name(), truth[i], e.value(), e.jointLower(),
          e.jointUpper(), e.jointlyCovers(truth[i]) ? "yes" : "no"));
    }
    return b.toString();
  }

  private static String step(double t) {
    return Double.isFinite(t) ? String.format("%.0f", t) : "—";
  }

}
