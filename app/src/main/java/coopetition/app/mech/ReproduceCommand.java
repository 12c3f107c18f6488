package coopetition.app.mech;

import coopetition.app.FigureFormats;
import coopetition.app.FlagNames;
import coopetition.app.train.SettingFlags;
import coopetition.common.AtomicFiles;
import coopetition.common.Json;
import coopetition.common.UserInputException;
import coopetition.transformer.donor.ChildRun;
import coopetition.transformer.donor.ChildRunner;
import coopetition.transformer.donor.DonorExperiment;
import coopetition.transformer.donor.DonorStudy;
import coopetition.transformer.donor.ReproductionScale;
import coopetition.transformer.donor.Throughput;
import coopetition.transformer.mech.Claims;
import coopetition.transformer.mech.StoredRun;
import coopetition.transformer.runtime.Torch;
import coopetition.transformer.train.CheckpointHistory;
import coopetition.transformer.train.ConfigFile;
import coopetition.transformer.train.MetricsLog;
import coopetition.transformer.train.TrainingRun;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./coop reproduce}: the paper's figures at one scale, training (or reusing) the runs they need, with a
 * time estimate first, progress throughout and OUT/REPORT.md (claim / measured / verdict) at the end.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Reproduce the paper's figures into OUT: 1b (curves), 2a, 3a, 3b, 3c, pt (mechanisms over a checkpoint"
        + " history), 2b (each Layer-2 head alone, attention clamped, at the last checkpoint), 4a, 4b, 4c (frozen"
        + " donors), 5a, 5b (toy model), 6 (remedies, from committed reference runs), or all;"
        + " and OUT/REPORT.md with the paper's claim, what was measured and a verdict per figure.",
        "Runs it needs and is not given (--run, --ciwl-run) are trained into OUT/runs/ (reused when there; a rerun"
        + " skips every finished training). Prints an estimated time before starting; --estimate-only stops there."})
public final class ReproduceCommand implements Runnable, FlagNames {
  static final List<String> FIGURES = List.of("1b", "2a", "2b", "3a", "3b", "3c", "pt", "4a", "4b", "4c", "5a", "5b", "6");

  @Parameters(arity = "1..*", paramLabel = "FIGURE", description = "any of 1b, 2a, 2b, 3a, 3b, 3c, pt, 4a, 4b, 4c, 5a, 5b, 6, or all")
  List<String> figures;

  @Option(names = "--scale", defaultValue = "quick", description = "quick (2 CPU cores, all in < 90 min) or paper (the"
      + " authors' sizes, for a GPU)")
  String scale;

  @Option(names = "--run", paramLabel = "RUN", description = "a finished normal run with a checkpoint history"
      + " (default: train OUT/runs/main)")
  Path run;

  @Option(names = "--ciwl-run", paramLabel = "RUN", description = "a finished CIWL-only run with a checkpoint history"
      + " for 4b/4c (default: train OUT/runs/ciwl-only)")
  Path ciwlRun;

  @Option(names = "--reference", paramLabel = "DIR", defaultValue = "reference-runs", description = "Fig 6: the"
      + " committed reference runs")
  Path reference;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a setting of every training (e.g. threads=1); repeatable")
  List<String> sets = new ArrayList<>();

  @Option(names = "--child-seqs", paramLabel = "N", description = "sequences of every Fig 4 child training (default: the"
      + " scale's: quick 400k for 4a, 250k for 4b, 500k for 4c)")
  Long childSeqs;

  @Option(names = "--estimate-only", description = "print the plan and the estimated time, then exit")
  boolean estimateOnly;

  @Option(names = "--no-progress", description = "no progress bars (for logs)")
  boolean noProgress;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
  Path out;

  @Mixin
  FigureFormats formats = new FigureFormats();

  @Override
  public void run() {
    Set<String> want = parse(figures);
    ReproductionScale sc = ReproductionScale.byName(scale);
    if (childSeqs != null) {
      UserInputException.requireField(childSeqs > 0, "child_seqs", "must be positive, got " + childSeqs);
      sc = sc.withChildSeqs(childSeqs);
    }
    Map<String, String> overrides = DonorsCommand.overrides(sets);
    Torch.configure(1);
    boolean needMain = want.stream().anyMatch(f -> !f.startsWith("4") && !f.startsWith("5") && !f.equals("6"))
        || want.contains("4a");
    boolean needCiwl = want.contains("4b") || want.contains("4c");
    ChildRun main = needMain && run == null ? new ChildRun("main", sc.mainSettings(overrides), out.resolve("runs/main"), null, -1)
        : null;
    ChildRun ciwl = needCiwl && ciwlRun == null
        ? new ChildRun("ciwl-only", sc.ciwlSettings(overrides), out.resolve("runs/ciwl-only"), null, -1) : null;
    List<ChildRun> runs = new ArrayList<>();
    if (main != null) {
      runs.add(main);
    }
    if (ciwl != null) {
      runs.add(ciwl);
    }
    ChildRunner.preflight(runs);
    printEstimate(want, sc, runs);
    if (estimateOnly) {
      return;
    }
    Path dir = AtomicFiles.prepareDirectory(out);
    List<Claims.Row> rows = new ArrayList<>();
    try (StopOnSignal stop = new StopOnSignal()) {
      ChildRunner runner = new ChildRunner(System.out::println, !noProgress, formats.get(), stop);
      if (!runner.runAll("runs", runs).stream().allMatch(o -> o.child().state() == ChildRun.State.DONE)) {
        System.out.println("reproduce: stopped while training its runs; run the same command again to continue");
        return;
      }
    }
    Path mainDir = run != null ? run : main == null ? null : main.dir();
    Path ciwlDir = ciwlRun != null ? ciwlRun : ciwl == null ? null : ciwl.dir();
    int stage = 0;
    int stages = want.size();
    for (String f : want) {
      System.out.printf(Locale.ROOT, "reproduce [%d/%d] figure %s%n", ++stage, stages, f);
      Claims.Row row = figure(f, want, sc, overrides, mainDir, ciwlDir, dir);
      if (row == null) {
        return; // a donor experiment was stopped; its children resume on the next run
      }
      rows.add(row);
      List<Claims.Row> all = withEarlierRows(dir, rows);
      Json.write(dir.resolve(REPORT_ROWS), Map.of("rows", all));
      AtomicFiles.writeString(dir.resolve("REPORT.md"), Claims.markdown("Paper figures: claim vs this reproduction (" + sc.name()
          + " scale)", all, setting(sc, mainDir, ciwlDir)));
    }
    System.out.println("wrote " + dir.resolve("REPORT.md"));
  }

  /** Every figure's REPORT row so far, read back so that reproducing some figures again keeps the others' rows. */
  static final String REPORT_ROWS = "REPORT.json";

  /** This invocation's rows, and the rows an earlier invocation into the same OUT wrote for other figures, in figure order. */
  static List<Claims.Row> withEarlierRows(Path dir, List<Claims.Row> fresh) {
    Map<String, Claims.Row> byFigure = new HashMap<>();
    Path earlier = dir.resolve(REPORT_ROWS);
    if (Files.exists(earlier)) {
      for (JsonNode n : Json.read(earlier).path("rows")) {
        Claims.Row r = Json.MAPPER.convertValue(n, Claims.Row.class);
        byFigure.put(r.figure().toLowerCase(Locale.ROOT), r);
      }
    }
    fresh.forEach(r -> byFigure.put(r.figure().toLowerCase(Locale.ROOT), r));
    return byFigure.values().stream().sorted(Comparator.comparingInt(r -> {
      int i = FIGURES.indexOf(r.figure().toLowerCase(Locale.ROOT));
      return i < 0 ? FIGURES.size() : i;
    })).toList();
  }

  private final List<Claims.Row> mechRows = new ArrayList<>();

  /** One figure's work and its REPORT row (null when stopped). The mechanistic figures are drawn together. */
  private Claims.Row figure(String f, Set<String> want, ReproductionScale sc, Map<String, String> overrides, Path mainDir,
      Path ciwlDir, Path dir) {
    switch (f) {
      case "1b":
        return OtherFigures.fig1b(mainDir, dir, ConfigFile.read(mainDir).title(), formats.get());
      case "2a", "2b", "3a", "3b", "3c", "pt": {
        if (mechRows.isEmpty()) {
          Set<String> mech = new LinkedHashSet<>(want);
          mech.retainAll(MechReproduction.FIGURES);
          mechRows.addAll(new MechReproduction(noProgress, formats.get(), System.out).run(StoredRun.open(mainDir), mech, dir));
        }
        return mechRows.stream().filter(r -> r.figure().equalsIgnoreCase(f)).findFirst().orElseThrow();
      }
      case "4a": {
        DonorStudy s = sc.study(sc.fig4aSeqs(), overrides);
        return donor(DonorExperiment.Figure.FIG4A, s.fig4a(StoredRun.open(mainDir).last().file(), dir.resolve("fig4a")),
            dir.resolve("fig4a"), null, sc);
      }
      case "4b", "4c": {
        boolean b = f.equals("4b");
        List<CheckpointHistory.Entry> h = DonorStudy.nearest(DonorsCommand.choose(ciwlDir, "all"),
            b ? sc.fig4bDonors() : sc.fig4cFrom());
        DonorStudy s = sc.study(b ? sc.fig4bSeqs() : sc.fig4cSeqs(), overrides);
        Path d = dir.resolve("fig" + f);
        return b ? donor(DonorExperiment.Figure.FIG4B, s.fig4b(ciwlDir, h, d), d, null, sc)
            : donor(DonorExperiment.Figure.FIG4C, s.fig4c(ciwlDir, h, d), d,
                MetricsLog.read(ciwlDir.resolve(TrainingRun.METRICS)), sc);
      }
      case "5a":
        return OtherFigures.fig5a(dir, formats.get());
      case "5b":
        return OtherFigures.fig5b(dir, formats.get());
      case "6":
        return OtherFigures.fig6(reference, dir, formats.get());
      default:
        throw new IllegalStateException(f);
    }
  }

  private Claims.Row donor(DonorExperiment.Figure f, List<ChildRun> children, Path d, MetricsLog own, ReproductionScale sc) {
    DonorExperiment.Result r = DonorsCommand.drive(f, children, d, own, !noProgress, formats.get(),
        "coop reproduce " + String.join(" ", figures) + " --scale " + sc.name(), System.out,
        Throughput.measuredOr(List.of(out.resolve("runs")), sc.recorded()));
    return r.complete() ? r.claim() : null;
  }

  /** The plan: what is trained and analysed, and how long it should take, with where the speed comes from. */
  private void printEstimate(Set<String> want, ReproductionScale sc, List<ChildRun> runs) {
    ReproducePlan plan = ReproducePlan.of(want, sc, runs, out, run);
    Throughput speed = Throughput.measuredOr(List.of(out.resolve("runs"), out.resolve("fig4a"), out.resolve("fig4b"),
        out.resolve("fig4c")), sc.recorded());
    double train = speed.seconds(plan.trainSeqs());
    double analyse = plan.networks() * sc.secondsPerNetwork();
    System.out.printf(Locale.ROOT, "reproduce %s at %s scale: %s%n", String.join(" ", want), sc.name(), plan.describe());
    System.out.printf(Locale.ROOT, "estimate: %s (training %,d sequences at %,.0f seq/s = %s, %s; analysing %,d stored"
        + " networks at %.1f s each = %s, %s; toy figures seconds)%n",
        Throughput.duration(train + analyse + 60), plan.trainSeqs(), speed.seqsPerSecond(), Throughput.duration(train),
        speed.source(), plan.networks(), sc.secondsPerNetwork(), Throughput.duration(analyse), sc.networkSource());
  }

  private static String setting(ReproductionScale sc, Path mainDir, Path ciwlDir) {
    return "Scale " + sc.name() + "; normal run " + (mainDir == null ? "-" : mainDir) + ", CIWL-only run "
        + (ciwlDir == null ? "-" : ciwlDir) + ". Layers and heads from 1. Figures and CSVs next to this file.";
  }

  static Set<String> parse(List<String> figures) {
    Set<String> want = new LinkedHashSet<>();
    for (String f : figures) {
      String n = f.trim().toLowerCase(Locale.ROOT);
      if (n.equals("all")) {
        want.addAll(FIGURES);
      } else if (FIGURES.contains(n)) {
        want.add(n);
      } else {
        throw new UserInputException("unknown figure '" + f + "'; reproduce draws " + String.join(", ", FIGURES) + " or all");
      }
    }
    Set<String> ordered = new LinkedHashSet<>();
    FIGURES.stream().filter(want::contains).forEach(ordered::add);
    return ordered;
  }

  @Override
  public String flagFor(String field) {
    return SettingFlags.flagFor(field);
  }
}
