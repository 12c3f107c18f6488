package coopetition.app.forecast;

import coopetition.comparison.fit.CurvePairing;
import coopetition.comparison.fit.Interference;
import coopetition.comparison.fit.FitSettings;
import coopetition.comparison.fit.ToyModelCurves;
import coopetition.comparison.forecast.Forecast;
import coopetition.comparison.forecast.ForecastReport;
import coopetition.comparison.forecast.Forecaster;
import coopetition.comparison.runs.RunData;
import coopetition.comparison.runs.RunReaders;
import coopetition.toymodel.SeedList;
import coopetition.toymodel.Solver;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./coop forecast}: when will ICL fade in this run, from its curves so far. */
@Command(name = "forecast", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {
        "Fits the toy model to a run's curves up to --upto sequences (default: everything logged so far; the run may"
            + " still be training) and forecasts when Flip falls below 0.5 (the toy's L2 overtakes L1) and 0.2"
            + " (mechanism 1 lost), with intervals over every plausible fit, and whether ICL fades at all.",
        "Writes forecast.json and forecast.png/.svg to --out."})
public final class ForecastCommand implements Runnable, coopetition.app.FlagNames {
  @Option(names = "--run", required = true, description = "Run directory (metrics.csv or log.h5), or a CSV.")
  Path run;

  @Option(names = "--upto", description = "Fit only up to this many sequences (default: all logged so far).")
  Double upto;

  @Option(names = "--curves", defaultValue = "mech1=icl_loss,mech2=ciwl_loss,total=train_loss",
      description = "Pairs toycurve=column fitted (toy curves: mech1, mech2, total).")
  String curves;

  @Option(names = "--interference", defaultValue = "mech2:mech1",
      description = "Run curves that also answer to a second toy curve, against it, as in ./coop fit; none for "
          + "plain affine maps.")
  String interference;

  @Option(names = "--dims-ratios", defaultValue = "1,8", split = ",",
      description = "Candidate nd/na ratios, as in ./coop fit (the paper: 8).")
  List<Integer> dimsRatios;

  @Option(names = "--out", defaultValue = "out/forecast", description = "Output directory.")
  Path out;

  @Option(names = "--seeds", defaultValue = "0-5", description = "Candidate toy seeds: a range a-b or a list a,b,c.")
  String seeds;

  @Option(names = "--fix", split = ",", defaultValue = "mu2=0", description = "Fix parameters (names: alpha, mu1, "
      + "mu2, init_scale, tau, t0). mu2 is held at the paper's 0 unless told otherwise: the curves before the fade "
      + "cannot identify it, and with it free the toy forecasts no fade at all; none frees every parameter.")
  List<String> fix = new java.util.ArrayList<>();

  @Option(names = "--restarts", defaultValue = "3", description = "CMA-ES runs per candidate seed.")
  int restarts;

  @Option(names = "--evaluations", defaultValue = "500", description = "Toy solves per CMA-ES run.")
  int evaluations;

  @Option(names = "--proposals", defaultValue = "400",
      description = "Parameter sets drawn around the fit; the plausible ones give the intervals.")
  int proposals;

  @Option(names = "--threads", defaultValue = "0", description = "Worker threads (0 = all cores).")
  int threads;

  @Option(names = "--random-seed", defaultValue = "1", description = "Seeds every random choice.")
  long randomSeed;

  @Override
  public void run() {
    long start = System.nanoTime();
    int th = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    FitSettings s = FitSettings.defaults().withThreads(th).withSearch(restarts, evaluations, 3).withBootstrap(0)
        .withProfile(false).withRandomSeed(randomSeed).withProgress(true);
    CurvePairing pairing = CurvePairing.parse(curves).withInterference(Interference.parse(interference));
    ToyModelCurves model = new ToyModelCurves(SeedList.parse(seeds, 1000), dimsRatios, 20, Solver.FLOW_REDUCED);
    RunData data = RunReaders.open(run, "seqs");
    Forecast f = Forecaster.forecast(data, pairing, model, s, coopetition.app.fit.FitCommand.parseFixed(fix),
        upto == null ? Double.NaN : upto, proposals);
    String name = run.getFileName() == null ? run.toString() : run.getFileName().toString();
    List<Path> files = ForecastReport.write(f, data.source(), name, out, "coop forecast --run " + run
        + (upto == null ? "" : " --upto " + upto.longValue()) + " --out " + out);
    System.out.print(ForecastReport.summary(f));
    for (Path p : files) {
      System.out.println("wrote " + p);
    }
    System.out.printf("coop forecast: done in %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  /** Library fields whose flag is not spelled "--" + field. */
  @Override
  public String flagFor(String field) {
    return switch (field) {
      case "evaluationsPerRun" -> "--evaluations";
      case "randomSeed" -> "--random-seed";
      case "fixedValues" -> "--fix";
      case "dimsRatios" -> "--dims-ratios";
      default -> null; // upto, restarts, threads, seeds, curves: "--" + field
    };
  }
}
