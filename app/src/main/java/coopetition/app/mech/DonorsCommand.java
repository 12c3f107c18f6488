package coopetition.app.mech;

import coopetition.app.FigureFormats;
import coopetition.app.FlagNames;
import coopetition.app.train.SettingFlags;
import coopetition.common.UserInputException;
import coopetition.figures.FigureWriter;
import coopetition.transformer.donor.ChildRun;
import coopetition.transformer.donor.ChildRunner;
import coopetition.transformer.donor.DonorExperiment;
import coopetition.transformer.donor.DonorStudy;
import coopetition.transformer.donor.Throughput;
import coopetition.transformer.mech.StoredRun;
import coopetition.transformer.runtime.Torch;
import coopetition.transformer.train.CheckpointHistory;
import coopetition.transformer.train.MetricsLog;
import coopetition.transformer.train.TrainingRun;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./coop donors 4a|4b|4c}: the frozen-donor experiments of the paper's Fig 4, as resumable drivers over
 * child trainings (one at a time; finished ones are skipped on a rerun).
 */
@Command(name = "donors", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Frozen-donor experiments (paper Fig 4). 4a: ICL-only training with Layer 2 + unembedding frozen from"
        + " --donor FILE, against no donor. 4b: the same for checkpoints of a CIWL-only run (--run, --checkpoints)."
        + " 4c: those checkpoints continued on normal data, on the donor's sequence counter.",
        "Writes OUT/curves.csv, summary.csv, experiment.json (provenance), fig4X.png and OUT/<child>/ runs. A rerun"
        + " skips finished children and resumes a half-finished one; Ctrl-C checkpoints the running child."})
public final class DonorsCommand implements Runnable, FlagNames {
  @Parameters(index = "0", paramLabel = "FIGURE", description = "4a, 4b or 4c")
  String figure;

  @Option(names = "--donor", paramLabel = "FILE", description = "4a: the donor weights (e.g. RUN/checkpoints/seqs_N.bin of a normal run)")
  Path donor;

  @Option(names = "--run", paramLabel = "RUN", description = "4b, 4c: a CIWL-only run with a checkpoint history")
  Path run;

  @Option(names = "--checkpoints", paramLabel = "all|final|SEQS,...", defaultValue = "all",
      description = "4b, 4c: donor checkpoints of --run; listed counts pick the nearest stored checkpoint")
  String checkpoints;

  @Option(names = "--seqs", defaultValue = "400000", description = "sequences each child trains for")
  long seqs;

  @Option(names = "--evals", defaultValue = "20", description = "evals per child")
  int evals;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a setting of every child (e.g. threads=1); repeatable")
  List<String> sets = new ArrayList<>();

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
  Path out;

  @Option(names = "--no-progress", description = "no progress bars (for logs)")
  boolean noProgress;

  @Mixin
  FigureFormats formats = new FigureFormats();

  @Override
  public void run() {
    DonorExperiment.Figure f = figure(figure);
    DonorStudy study = new DonorStudy(seqs, evals, overrides(sets));
    List<ChildRun> children;
    MetricsLog own = null;
    if (f == DonorExperiment.Figure.FIG4A) {
      UserInputException.require(donor != null, "4a needs --donor FILE (e.g. RUN/checkpoints/seqs_N.bin of a normal run)");
      children = study.fig4a(donor, out);
    } else {
      UserInputException.require(run != null, f.label + " needs --run RUN: a CIWL-only run with a checkpoint history");
      List<CheckpointHistory.Entry> chosen = choose(run, checkpoints);
      children = f == DonorExperiment.Figure.FIG4B ? study.fig4b(run, chosen, out) : study.fig4c(run, chosen, out);
      own = f == DonorExperiment.Figure.FIG4C ? MetricsLog.read(run.resolve(TrainingRun.METRICS)) : null;
    }
    drive(f, children, out, own, !noProgress, formats.get(), "coop donors " + figure, System.out, RECORDED);
  }

  /** The speed quoted when nothing was measured yet: one quick-preset training, threads=1, on an idle core. */
  static final Throughput RECORDED = new Throughput(4000, "recorded: reference-runs/quick, 3M sequences in 12.5 min"
      + " with threads=1 on an idle 2-core machine; a loaded machine is slower (this session, load 10-20: ~600-900 seq/s)");

  /** Runs one experiment (estimate, children, tables, figure, claim line); returns its result. */
  static DonorExperiment.Result drive(DonorExperiment.Figure f, List<ChildRun> children, Path dir, MetricsLog own,
      boolean progress, Set<FigureWriter.Format> formats, String command, PrintStream out, Throughput recorded) {
    Torch.configure(1);
    ChildRunner.preflight(children);
    long left = ChildRunner.remainingSeqs(children);
    Throughput speed = Throughput.measuredOr(List.of(dir), recorded);
    out.printf(Locale.ROOT, "%s: %d children of %,d sequences, %,d left to train; estimate %s at %,.0f seq/s (%s)%n",
        f.label, children.size(), children.get(0).trainSeqs(), left, Throughput.duration(speed.seconds(left)),
        speed.seqsPerSecond(), speed.source());
    try (StopOnSignal stop = new StopOnSignal()) {
      ChildRunner runner = new ChildRunner(out::println, progress, formats, stop);
      DonorExperiment.Result r = DonorExperiment.run(f, children, runner, dir, command);
      if (!r.complete()) {
        out.println(f.label + ": stopped before every child finished; run the same command again to continue");
        return r;
      }
      DonorFigures.draw(r, own, formats).forEach(p -> out.println("wrote " + p));
      out.println(f.label + ": " + r.claim().measured() + " -> " + r.claim().verdict().name().toLowerCase(Locale.ROOT));
      return r;
    }
  }

  static DonorExperiment.Figure figure(String name) {
    for (DonorExperiment.Figure f : DonorExperiment.Figure.values()) {
      if (f.label.equalsIgnoreCase(name.trim()) || ("fig" + f.label).equalsIgnoreCase(name.trim())) {
        return f;
      }
    }
    throw new UserInputException("unknown figure '" + name + "'; donors draws 4a, 4b or 4c");
  }

  /** all/final, or counts matched to the nearest stored checkpoint. */
  static List<CheckpointHistory.Entry> choose(Path run, String spec) {
    UserInputException.require(Files.isDirectory(run.resolve(CheckpointHistory.DIR)), run + " has no "
        + CheckpointHistory.DIR + "/ history; train it with --set ckpt_every=N (e.g. --preset ciwl-only --set ckpt_every=50000)");
    StoredRun r = StoredRun.open(run);
    String v = spec.trim().toLowerCase(Locale.ROOT);
    if (v.equals("all") || v.equals("final") || v.equals("last")) {
      return r.select(v, "checkpoints");
    }
    List<Long> wanted = new ArrayList<>();
    for (String p : v.split(",")) {
      try {
        wanted.add((long) Double.parseDouble(p.trim().replace("_", "")));
      } catch (NumberFormatException e) {
        throw UserInputException.forField("checkpoints", "'" + p.trim() + "' is not all, final or a sequence count");
      }
    }
    return DonorStudy.nearest(r.history(), wanted);
  }

  static Map<String, String> overrides(List<String> sets) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String s : sets) {
      int eq = s.indexOf('=');
      UserInputException.requireField(eq > 0, "set", "'" + s + "' is not KEY=VALUE");
      m.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
    }
    return m;
  }

  @Override
  public String flagFor(String field) {
    return SettingFlags.flagFor(field);
  }
}
