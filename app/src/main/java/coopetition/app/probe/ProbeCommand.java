package coopetition.app.probe;

import coopetition.app.FigureFormats;
import coopetition.common.AtomicFiles;
import coopetition.common.Json;
import coopetition.common.Progress;
import coopetition.common.Provenance;
import coopetition.common.UserInputException;
import coopetition.probes.ProbeSweep;
import coopetition.probes.ProbeTask;
import coopetition.transformer.mech.StoredRun;
import coopetition.transformer.runtime.Torch;
import coopetition.transformer.train.CheckpointHistory;
import coopetition.transformer.train.MetricsLog;
import coopetition.transformer.train.TrainingRun;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./coop probe}: Tribuo linear probes on the residual stream over a run's checkpoint history. */
@Command(name = "probe", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Linear probes (Tribuo logistic regression, 70/30 held out) on the residual stream at the query token,"
        + " per layer (0 = embeddings) and stored checkpoint: (a) context_position: which context pair holds the query's"
        + " class, (b) label_present: is the query's label in context, (c) query_class: the query's class among 8."
        + " Writes OUT/probes.csv, probes_provenance.jsonl (Tribuo's provenance of every probe), probe.json and the"
        + " figure probes (accuracy over training beside Flip).")
public final class ProbeCommand implements Runnable {
  @Option(names = "--run", required = true, paramLabel = "RUN", description = "run directory with a checkpoint history")
  Path run;

  @Option(names = "--checkpoints", defaultValue = "all", paramLabel = "all|final|SEQS,...",
      description = "which checkpoints (default: ${DEFAULT-VALUE})")
  String checkpoints;

  @Option(names = "--every", defaultValue = "1", description = "use every n-th of the chosen checkpoints (the last always)")
  int every;

  @Option(names = "--tasks", split = ",", defaultValue = "context_position,label_present,query_class",
      description = "probe tasks (default: ${DEFAULT-VALUE})")
  List<String> tasks;

  @Option(names = "--seed", defaultValue = "1", description = "seed of the held-out split and the SGD (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--threads", defaultValue = "1", description = "libtorch intra-op threads (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--no-progress", description = "no progress bar (for logs)")
  boolean noProgress;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
  Path out;

  @Mixin
  FigureFormats formats = new FigureFormats();

  @Override
  public void run() {
    UserInputException.requireField(every >= 1, "every", "must be at least 1, got " + every);
    List<ProbeTask> chosen = new ArrayList<>(new LinkedHashSet<>(tasks.stream().map(ProbeTask::parse).toList()));
    Torch.configure(threads);
    StoredRun r = StoredRun.open(run);
    List<CheckpointHistory.Entry> all = r.select(checkpoints, "checkpoints");
    List<CheckpointHistory.Entry> use = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (i % every == 0 || i == all.size() - 1) {
        use.add(all.get(i));
      }
    }
    Path dir = AtomicFiles.prepareDirectory(out);
    List<ProbeSweep.Row> rows;
    try (Progress bar = noProgress ? null : Progress.start("probe", use.size(), "ckpt")) {
      rows = ProbeSweep.run(r, use, chosen, seed, () -> {
        if (bar != null) {
          bar.stepBy(1);
        }
      });
    }
    ProbeSweep.writeTable(dir.resolve("probes.csv"), rows);
    ProbeSweep.writeProvenance(dir.resolve("probes_provenance.jsonl"), rows);
    Path metrics = r.dir().resolve(TrainingRun.METRICS);
    MetricsLog log = Files.isRegularFile(metrics) ? MetricsLog.read(metrics) : null;
    List<Path> figs = ProbeFigures.curves(rows, log, r.config().title(), dir.resolve("probes"), formats.get());
    ObjectNode json = Json.object();
    json.set("options", Json.tree(Map.of("run", run.toString(), "checkpoints", checkpoints, "every", every, "tasks", tasks,
        "seed", seed)));
    json.set("provenance", Json.tree(Provenance.capture("coop probe")));
    AtomicFiles.writeString(dir.resolve("probe.json"), Json.toJson(json));
    System.out.println("wrote " + dir.resolve("probes.csv") + " (" + rows.size() + " probes), probes_provenance.jsonl, probe.json");
    figs.forEach(f -> System.out.println("wrote " + f));
  }
}
