package coopetition.app.sweep;

import coopetition.common.UserInputException;
import coopetition.toymodel.SeedList;
import coopetition.transformer.sweep.GridAxis;
import coopetition.transformer.sweep.SeedSet;
import coopetition.transformer.sweep.SweepDefinition;
import coopetition.transformer.sweep.SweepManifest;
import coopetition.transformer.sweep.SweepSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./coop sweep}: a grid of training runs times seed sets, on this machine or as a SLURM array job. */
@Command(name = "sweep", mixinStandardHelpOptions = true, showDefaultValues = true,
    subcommands = {SweepStatusCommand.class, SweepSummarizeCommand.class},
    description = {"Train every point of a grid of settings with several seed sets: DIR/sweep.json lists every run,"
        + " DIR/runs/<id> holds each run of ./coop train. Re-running the same command skips finished runs and"
        + " resumes interrupted ones. " + SeedSet.RULE + ".",
        "Example: ./coop sweep --preset quick --grid classes=4096,8192 --seeds 3 --out runs/sweeps/classes",
        "Named sweeps (--list-defs): ./coop sweep --def remedy-classes --out runs/sweeps/remedy-classes"})
public final class SweepCommand implements Callable<Integer> {

  @Option(names = "--preset", description = "starting configuration of every run (./coop train --list-presets);"
      + " default quick")
  String preset;

  @Option(names = "--def", paramLabel = "NAME|FILE.conf", description = "a named sweep (preset, grid, seeds) instead of"
      + " --preset and --grid; --set and --seeds still apply (see --list-defs)")
  String definition;

  @Option(names = "--list-defs", description = "list the named sweeps and exit")
  boolean listDefs;

  @Option(names = "--grid", paramLabel = "KEY=V1,V2", description = "a swept setting and its values; repeatable"
      + " (the grid is every combination)")
  List<String> grid = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a setting for every run; repeatable")
  List<String> sets = new ArrayList<>();

  @Option(names = "--seeds", paramLabel = "N|LIST", description = "seed sets: a count N (sets 0..N-1) or a list"
      + " such as 1,2,3 or 0-4; default 1, or the --def's")
  String seeds;

  @Option(names = "--out", paramLabel = "DIR", description = "sweep directory (sweep.json, runs/, sweep.log)")
  Path out;

  @Option(names = "--executor", description = "local (this machine) or slurm (one sbatch array job)", defaultValue = "local")
  Executor executor;

  @Option(names = "--threads", description = "libtorch threads per run (default: cores / runs at once; slurm:"
      + " --cpus-per-task)")
  Integer threads;

  @Option(names = "--parallel", description = "local: runs at once (default: cores / threads)")
  Integer parallel;

  @Option(names = "--launcher", paramLabel = "PATH", description = "the coop that runs each training (default:"
      + " $COOP_LAUNCHER, else this ./coop); e.g. bin/coop of the distribution archive on a cluster")
  Path launcher;

  @Option(names = "--cpus-per-task", description = "slurm: CPUs per run", defaultValue = "1")
  int cpusPerTask;

  @Option(names = "--time", description = "slurm: time limit per task", defaultValue = "24:00:00")
  String time;

  @Option(names = "--mem", description = "slurm: memory per task, e.g. 8G (default: the partition's)", defaultValue = "")
  String mem;

  @Option(names = "--partition", description = "slurm: partition (default: the cluster's)", defaultValue = "")
  String partition;

  @Option(names = "--signal-lead", paramLabel = "SECONDS", description = "slurm: SIGTERM this long before the time"
      + " limit, so the run checkpoints", defaultValue = "120")
  int signalLead;

  @Option(names = "--sbatch", paramLabel = "OPTION", description = "slurm: one more #SBATCH line, e.g."
      + " --sbatch=--account=abc; repeatable")
  List<String> sbatchLines = new ArrayList<>();

  @Option(names = "--no-submit", description = "slurm: only write the array script")
  boolean noSubmit;

  @Option(names = "--no-progress", description = "no progress bar (for logs)")
  boolean noProgress;

  /** Where the runs execute. */
  enum Executor { local, slurm }

  @Override
  public Integer call() {
    if (listDefs) {
      for (String name : SweepDefinition.NAMES) {
        System.out.printf("%-22s %s%n", name, SweepDefinition.byName(name).description());
      }
      return 0;
    }
    UserInputException.require(out != null, "give --out DIR for the sweep (e.g. --out runs/sweeps/classes);"
        + " see ./coop sweep --help");
    SweepManifest manifest = SweepManifest.openOrCreate(out, spec());
    TrainLauncher train = TrainLauncher.resolve(launcher);
    if (executor == Executor.slurm) {
      SlurmOptions options = new SlurmOptions(cpusPerTask, time, mem, partition, signalLead, sbatchLines);
      if (!noSubmit) {
        SlurmExecutor.requireSbatch();
      }
      new SlurmExecutor(manifest, train, options).submit(!noSubmit);
      return 0;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    LocalExecutor.Plan plan = LocalExecutor.plan(cores, manifest.runs().size(), threads, parallel);
    System.err.printf("coop sweep: %d runs in %s, %d at once with %d thread(s) each%n", manifest.runs().size(), out,
        plan.parallel(), plan.threads());
    int failed = new LocalExecutor(manifest, train, plan).run(!noProgress);
    SweepStatusCommand.print(manifest, Map.of());
    if (failed > 0) {
      System.err.println("coop sweep: " + failed + " run(s) failed (see runs/<id>/train.log); run the same command"
          + " again to resume them");
      return 1;
    }
    System.out.println("every run is done; summarise with ./coop sweep summarize " + out);
    return 0;
  }

  /** The sweep asked for: a named definition (plus --set and --seeds), or --preset and --grid. */
  SweepSpec spec() {
    if (definition != null) {
      UserInputException.require(preset == null && grid.isEmpty(), "--def " + definition + " names the preset and"
          + " the grid; drop --preset and --grid, or drop --def");
      SweepDefinition d = SweepDefinition.byName(definition);
      return d.spec(sets, seedSets(seeds == null ? d.seeds() : seeds));
    }
    List<GridAxis> axes = new ArrayList<>();
    for (String g : grid) {
      axes.add(GridAxis.parse(g));
    }
    return new SweepSpec(preset == null ? "quick" : preset, sets, axes, seedSets(seeds == null ? "1" : seeds));
  }

  /** {@code 3} = seed sets 0,1,2; {@code 1,2,3} or {@code 0-4} = those sets. */
  static List<Integer> seedSets(String spec) {
    String s = spec.trim();
    List<Integer> out = new ArrayList<>();
    if (s.matches("\\d+")) {
      int n = Integer.parseInt(s);
      UserInputException.requireField(n >= 1 && n <= 1000, "seeds", "a count must be 1..1000, got " + n);
      for (int i = 0; i < n; i++) {
        out.add(i);
      }
      return out;
    }
    for (long v : SeedList.parse(s, 1000)) {
      UserInputException.requireField(v >= 0 && v <= 100_000, "seeds", "seed sets are 0..100000, got " + v);
      out.add((int) v);
    }
    return out;
  }
}
