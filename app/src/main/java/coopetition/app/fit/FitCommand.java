package coopetition.app.fit;

import coopetition.app.FigureFormats;
import coopetition.app.FlagNames;
import coopetition.comparison.fit.CurvePairing;
import coopetition.comparison.fit.Interference;
import coopetition.comparison.fit.FitSettings;
import coopetition.comparison.fit.Observations;
import coopetition.comparison.fit.ToyModelCurves;
import coopetition.comparison.report.FitRunner;
import coopetition.comparison.runs.RunData;
import coopetition.comparison.runs.RunReaders;
import coopetition.common.UserInputException;
import coopetition.toymodel.SeedList;
import coopetition.toymodel.Solver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./coop fit}: fits the toy model to one transformer run and draws the comparison. */
@Command(name = "fit", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {
        "Fits the toy model of strategy coopetition to a transformer run: mechanism 1 <-> ICL loss, mechanism 2 <->"
            + " CIWL loss, total <-> training loss (change with --curves), toy time t = (sequences - t0)/tau, each run"
            + " curve = scale * toy curve + offset; the CIWL loss also answers to L1 against it (--interference).",
        "Writes fit.json, overlay.png/.svg and side_by_side.png/.svg to --out."})
public final class FitCommand implements Runnable, FlagNames {
  @Mixin FigureFormats formats = new FigureFormats();
  @Option(names = "--run",
      description = "Run directory (metrics.csv or log.h5), a log.h5, or any CSV with a sequences column.")
  Path run;

  @Option(names = "--runs", split = ",", description = "Joint fit of several runs (instead of --run): A,B,C; "
      + "the toy parameters in --shared take one value for all of them, the others one per run.")
  List<Path> runs = new ArrayList<>();

  @Option(names = "--sweep", description = "Fit every finished run of a sweep directory (the --out of ./coop sweep)"
      + " on its own; writes a table of toy parameters per run (toy_parameters.csv, .md) and each fit under runs/.")
  Path sweep;

  @Option(names = "--shared", split = ",", defaultValue = "alpha,mu1,mu2,init_scale",
      description = "With --runs: toy parameters shared by all runs, or none (tau, t0 and the maps are always per "
          + "run). Every sharing hypothesis is compared whatever this says; it picks the one fit.json and the figure show.")
  List<String> shared;

  @Option(names = "--labels", split = ",", description = "With --runs: a label per run (default: directory names).")
  List<String> labels = new ArrayList<>();

  @Option(names = "--knob", description = "With --runs: a numeric setting in each run's config.json (dotted path,"
      + " e.g. settings.classes) for the x axis of the figure; default: the runs' order.")
  String knob;

  @Option(names = "--curves", defaultValue = "mech1=icl_loss,mech2=ciwl_loss,total=train_loss",
      description = "Pairs toycurve=column (toy curves: mech1, mech2, total); e.g. mech1=icl_in_context_acc.")
  String curves;

  @Option(names = "--interference", defaultValue = "mech2:mech1",
      description = "Run curves that also answer to a second toy curve, against it: curve:partner, e.g. mech2:mech1 "
          + "(CIWL loss = s2*L2 - |s12|*L1 + b: learning ICL raises the CIWL loss), or none for plain affine maps.")
  String interference;

  @Option(names = "--x-column", defaultValue = "seqs", description = "Sequences column of a plain CSV.")
  String xColumn;

  @Option(names = "--out", defaultValue = "out/fit", description = "Output directory.")
  Path out;

  @Option(names = "--seeds", defaultValue = "0-5", description = "Candidate toy seeds: a range a-b or a list a,b,c.")
  String seeds;

  @Option(names = "--dims-ratios", defaultValue = "1,8", split = ",",
      description = "Candidate nd/na ratios (the paper: 8; 1 lets mechanism 2 learn as early as our transformers' CIWL"
          + " loss starts falling); discrete like the seed.")
  List<Integer> dimsRatios;

  @Option(names = "--base-dim", defaultValue = "20", description = "na = nb = nc.")
  int baseDim;

  @Option(names = "--solver", defaultValue = "flow-reduced", converter = SolverConverter.class,
      description = "flow-reduced (smooth in time, default) or gd-reduced (the authors' discrete steps; "
          + "piecewise constant in time, so tau and t0 fit poorly).")
  Solver solver;

  @Option(names = "--fix", split = ",", description = "Fix parameters, e.g. mu2=0,alpha=0.1 "
      + "(names: alpha, mu1, mu2, init_scale, tau, t0).")
  List<String> fix = new ArrayList<>();

  @Option(names = "--restarts", defaultValue = "3", description = "CMA-ES runs per candidate variant.")
  int restarts;

  @Option(names = "--evaluations", defaultValue = "500", description = "Toy solves per CMA-ES run.")
  int evaluations;

  @Option(names = "--polish", defaultValue = "3", description = "Best global-search results that get a long LM polish (the others get a short one).")
  int polish;

  @Option(names = "--points", defaultValue = "120", description = "Points per curve the objective uses.")
  int points;

  @Option(names = "--log-time", description = "Pick those points evenly in log(sequences).")
  boolean logTime;

  @Option(names = "--bootstrap", defaultValue = "20", description = "Bootstrap refits over time points (0 = none).")
  int bootstrap;

  @Option(names = "--no-profile", description = "Joint intervals from the Jacobian only (faster), not profile likelihood.")
  boolean noProfile;

  @Option(names = "--threads", defaultValue = "0", description = "Worker threads (0 = all cores).")
  int threads;

  @Option(names = "--random-seed", defaultValue = "1", description = "Seeds every random choice of the fit.")
  long randomSeed;

  @Option(names = "--horizon", defaultValue = "1500,40000", split = ",",
      description = "Smallest and largest toy time the last run point may map to.")
  List<Double> horizon;

  /** The options as a plain record for fit.json. */
  record Config(String run, String curves, String interference, String xColumn, String out, String seeds,
      List<Integer> dimsRatios, int baseDim, String solver, List<String> fix, FitSettings settings) {}

  @Override
  public void run() {
    int modes = (run == null ? 0 : 1) + (runs.isEmpty() ? 0 : 1) + (sweep == null ? 0 : 1);
    UserInputException.require(modes == 1, "give either --run RUN (one run), --runs A,B,... (a joint fit) or "
        + "--sweep DIR (every run of a sweep), exactly one of them");
    if (sweep != null) {
      new SweepFit(this).run();
      return;
    }
    if (!runs.isEmpty()) {
      new JointFit(this).run();
      return;
    }
    long start = System.nanoTime();
    CurvePairing pairing = pairing();
    FitSettings settings = settings();
    ToyModelCurves model = new ToyModelCurves(SeedList.parse(seeds, 1000), dimsRatios, baseDim, solver);
    Map<String, Double> fixed = parseFixed(fix);
    RunData data = RunReaders.open(run, xColumn);
    Observations obs = FitRunner.observe(data, pairing, settings);
    System.out.printf("coop fit: %s (%s), %s; %d candidate variants on %d thread(s)%n", run, data.format(), pairing,
        model.variants().size(), settings.threads());
    Config config = new Config(run.toString(), pairing.toString(), pairing.interference().toString(), xColumn,
        out.toString(), seeds, dimsRatios, baseDim, solver.cliName(), fix, settings);
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("fit", config);
    FitRunner.Outcome o = FitRunner.run(data, obs, pairing, model, settings, fixed, out, commandLine(), cfg,
        formats.get());
    System.out.print(FitRunner.summary(o));
    for (Path f : o.files()) {
      System.out.println("wrote " + f);
    }
    System.out.printf("coop fit: done in %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  /** --curves with the --interference terms. */
  CurvePairing pairing() {
    return CurvePairing.parse(curves).withInterference(Interference.parse(interference));
  }

  FitSettings settings() {
    UserInputException.require(horizon.size() == 2, "--horizon needs two numbers min,max, got " + horizon);
    int th = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    double lo = horizon.get(0);
    double hi = horizon.get(1);
    double typical = Math.min(hi, Math.max(lo, 12000));
    return new FitSettings(restarts, evaluations, polish, points, logTime, bootstrap, th, randomSeed, lo, hi, typical,
        true, !noProfile);
  }

  /** Library fields whose flag is not spelled "--" + field (FitSettings, ToyModelCurves, ToyFitter, CsvRunReader). */
  @Override
  public String flagFor(String field) {
    return switch (field) {
      case "evaluationsPerRun" -> "--evaluations";
      case "resamplePoints" -> "--points";
      case "logTime" -> "--log-time";
      case "minHorizon", "maxHorizon", "typicalHorizon" -> "--horizon";
      case "randomSeed" -> "--random-seed";
      case "fixedValues" -> "--fix";
      case "dimsRatios" -> "--dims-ratios";
      case "baseDim" -> "--base-dim";
      case "xColumn" -> "--x-column";
      default -> null; // restarts, polish, bootstrap, threads, seeds, solver, curves: "--" + field
    };
  }

  private String commandLine() {
    return "coop fit --run " + run + " --curves " + curves + " --interference " + interference + " --out " + out
        + " --seeds " + seeds;
  }

  /** Parses --fix name=value entries (also used by forecast); "none" names no parameter. */
  public static Map<String, Double> parseFixed(List<String> fix) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String f : fix) {
      if (f.trim().equalsIgnoreCase("none")) {
        continue; // frees every parameter (the forecast holds mu2 unless told so)
      }
      int eq = f.indexOf('=');
      UserInputException.require(eq > 0, "--fix '" + f + "' is not name=value, e.g. mu2=0");
      try {
        out.put(f.substring(0, eq).trim(), Double.parseDouble(f.substring(eq + 1).trim()));
      } catch (NumberFormatException e) {
        throw new UserInputException("--fix '" + f + "': '" + f.substring(eq + 1) + "' is not a number");
      }
    }
    return out;
  }

  /** Solver names as the toy module spells them. */
  static final class SolverConverter implements picocli.CommandLine.ITypeConverter<Solver> {
    @Override
    public Solver convert(String value) {
      return Solver.parse(value);
    }
  }
}
