package coopetition.app.toy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import coopetition.app.FigureFormats;
import coopetition.figures.FigureWriter;
import coopetition.figures.Heatmap;
import coopetition.common.AtomicFiles;
import coopetition.common.Json;
import coopetition.common.Progress;
import coopetition.common.Provenance;
import coopetition.common.UserInputException;
import coopetition.toymodel.Solver;
import coopetition.toymodel.SolverSettings;
import coopetition.toymodel.Summary;
import coopetition.toymodel.ToyConfig;
import coopetition.toymodel.ToySimulator;
import coopetition.app.FlagNames;
import coopetition.toymodel.sweep.SweepParameter;
import coopetition.toymodel.sweep.SweepRunner;
import coopetition.toymodel.sweep.SweepSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./coop toy-sweep}: every combination of the swept parameters times every seed, in parallel.
 * Writes sweep.csv (one row per run), summary.csv (one row per config) and, for two swept
 * parameters, phase.png: the fraction of seeds in which mechanism 1 is transient.
 */
@Command(name = "toy-sweep", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Sweep the minimal model over parameters and seeds (parallel on all cores).",
        "Example: ./coop toy-sweep --set alpha=0,0.1,0.3 --set nd=80,160,640 --seeds 0-49"})
public final class ToySweepCommand implements Callable<Integer>, FlagNames {
  @Mixin ModelOptions model = new ModelOptions();
  @Mixin SolverOptions solver = new SolverOptions(Solver.FLOW_REDUCED);
  @Mixin FigureFormats formats = new FigureFormats();

  @Option(names = "--set", paramLabel = "KEY=V1,V2,...",
      description = "Swept parameter and its values (repeatable): na, nb, nc, nd, alpha, mu1, mu2, lambda, init-scale.")
  List<String> sets = new ArrayList<>();
  @Option(names = "--seeds", description = "Seeds per config: a range LO-HI or a list a,b,c.")
  String seeds = "0-11";
  @Option(names = "--t-end", description = "Integrate up to this time (GD steps at lr 1).")
  double tEnd = 16000;
  @Option(names = "--dt", description = "Sample every this many time units (for the summaries).")
  double dt = 1;
  @Option(names = "--threads", description = "Worker threads (default: all cores).")
  int threads = Runtime.getRuntime().availableProcessors();
  @Option(names = "--out", description = "Output directory.")
  Path out = Path.of("out", "toy-sweep");

  /** Config columns of the CSVs. */
  static final List<String> CONFIG_COLUMNS =
      List.of("na", "nb", "nc", "nd", "alpha", "mu1", "mu2", "lambda", "init_scale");

  /**
   * The axes and a swept parameter's values come from --set (a swept parameter's own option only
   * sets the base config, validated before the sweep); clamps from --clamp.
   */
  @Override
  public String flagFor(String field) {
    if (SweepSpec.AXES.equals(field)) {
      return "--set";
    }
    for (String s : sets) {
      int eq = s.indexOf('=');
      if (eq > 0) {
        var swept = SweepParameter.lookup(s.substring(0, eq)).filter(p -> p.field().equals(field));
        if (swept.isPresent()) {
          return "--set " + swept.get().key();
        }
      }
    }
    return SolverOptions.flagFor(field);
  }

  @Override
  public Integer call() throws InterruptedException {
    ToyConfig base = model.toConfig();
    SolverSettings settings = solver.toSettings(true, false);
    SweepSpec spec = SweepSpec.parse(sets, seeds);
    List<ToyConfig> configs = spec.configs(base);
    double[] times = ToySimulator.grid(tEnd, dt);
    UserInputException.requireField(threads >= 1, "threads", "must be >= 1, got " + threads);

    long total = (long) configs.size() * spec.seeds().length;
    long start = System.nanoTime();
    List<SweepRunner.Run> runs;
    try (Progress bar = Progress.start("toy-sweep", total, "runs")) {
      runs = SweepRunner.run(configs, spec.seeds(), settings, times, threads, bar::stepTo);
      bar.stepTo(total);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    List<SweepRunner.Aggregate> aggregates = SweepRunner.aggregate(configs, spec.seeds().length, runs);

    AtomicFiles.prepareDirectory(out);
    writeRuns(out.resolve("sweep.csv"), runs);
    writeAggregates(out.resolve("summary.csv"), aggregates);
    if (spec.axes().size() == 2) {
      FigureWriter.write(phase(spec, aggregates), out.resolve("phase"), formats.get());
    }
    ObjectNode json = Json.object();
    json.set("base_config", RunRecords.config(base));
    json.set("solver", RunRecords.settings(settings));
    var axes = json.putArray("axes");
    for (SweepSpec.Axis a : spec.axes()) {
      var ax = axes.addObject().put("parameter", a.parameter().key());
      var vs = ax.putArray("values");
      for (double v : a.values()) {
        vs.add(v);
      }
    }
    json.put("seeds", seeds).put("runs", total).put("threads", threads).put("wall_s", seconds);
    json.putObject("output").put("t_end", tEnd).put("dt", dt);
    json.set("provenance", Json.tree(Provenance.capture("coop toy-sweep")));
    Json.write(out.resolve("sweep.json"), json);
    System.out.printf("%d runs (%d configs x %d seeds) in %.2f s on %d threads (%.0f runs/s) -> %s%n",
        total, configs.size(), spec.seeds().length, seconds, threads, total / seconds, out);
    return 0;
  }

  static Heatmap phase(SweepSpec spec, List<SweepRunner.Aggregate> aggregates) {
    SweepSpec.Axis x = spec.axes().get(0);
    SweepSpec.Axis y = spec.axes().get(1);
    double[][] v = new double[x.values().length][y.values().length];
    for (int i = 0; i < x.values().length; i++) {
      for (int j = 0; j < y.values().length; j++) {
        v[i][j] = aggregates.get(i * y.values().length + j).fractionTransient();
      }
    }
    return new Heatmap("Mechanism 1 transient (fraction of " + spec.seeds().length + " seeds)",
        x.parameter().key(), y.parameter().key(), "transient fraction", x.values(), y.values(), v, 0, 1);
  }

  static void writeRuns(Path file, List<SweepRunner.Run> runs) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.join(",", CONFIG_COLUMNS)).append(",seed,").append(String.join(",", Summary.FIELDS)).append('\n');
    for (SweepRunner.Run r : runs) {
      appendConfig(sb, r.config());
      sb.append(',').append(r.config().seed());
      for (Object v : r.summary().values()) {
        sb.append(',').append(cell(v));
      }
      sb.append('\n');
    }
    AtomicFiles.writeString(file, sb.toString());
  }

  static void writeAggregates(Path file, List<SweepRunner.Aggregate> aggs) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.join(",", CONFIG_COLUMNS))
        .append(",seeds,fraction_learned,fraction_transient,fraction_mech2_learned,median_t_l1_min,median_l1_final\n");
    for (SweepRunner.Aggregate a : aggs) {
      appendConfig(sb, a.config());
      sb.append(',').append(a.seeds()).append(',').append(a.fractionLearned()).append(',')
          .append(a.fractionTransient()).append(',').append(a.fractionMech2Learned()).append(',')
          .append(cell(a.medianTL1Min())).append(',').append(cell(a.medianL1Final())).append('\n');
    }
    AtomicFiles.writeString(file, sb.toString());
  }

  private static void appendConfig(StringBuilder sb, ToyConfig c) {
    sb.append(c.na()).append(',').append(c.nb()).append(',').append(c.nc()).append(',').append(c.nd())
        .append(',').append(c.alpha()).append(',').append(c.mu1()).append(',').append(c.mu2())
        .append(',').append(c.weightDecay()).append(',').append(c.initScale());
  }

  /** NaN as an empty cell, which CSV readers (pandas, commons-csv) take as missing. */
  private static String cell(Object v) {
    if (v instanceof Double d && Double.isNaN(d)) {
      return "";
    }
    return String.valueOf(v);
  }
}
