package coopetition.app.mech;

import coopetition.app.FigureFormats;
import coopetition.common.AtomicFiles;
import coopetition.common.Progress;
import coopetition.common.UserInputException;
import coopetition.transformer.mech.Graft;
import coopetition.transformer.mech.ResultTables;
import coopetition.transformer.mech.StoredRun;
import coopetition.transformer.mech.Sweeps;
import coopetition.transformer.train.CheckpointHistory;
import coopetition.transformer.train.MetricsLog;
import coopetition.transformer.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./coop graft}: networks whose early layers come from one checkpoint and later layers from another. */
@Command(name = "graft", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Evaluate grafted networks: embeddings and layers 1..N from the --early checkpoint(s), later layers,"
        + " final LayerNorm and unembedding from the --late one(s), scored with the run's evaluators. Fig 3b: --early all"
        + " --late final --split-after-layer 1; Fig 3c: --early SEQS --late all. Writes OUT/graft.csv (early_seqs,"
        + " late_seqs, <evaluator>_<metric>) and OUT/graft.png with the run's own curves in lighter colours.")
public final class GraftCommand implements Runnable {
  public static final String OUTPUT = "graft.csv";

  @Mixin
  MechOptions options = new MechOptions();

  @Mixin
  FigureFormats formats = new FigureFormats();

  @Option(names = "--early", required = true, paramLabel = "all|final|SEQS,...", description = "checkpoint(s) of --run giving the"
      + " embeddings and the first N layers")
  String early;

  @Option(names = "--late", defaultValue = "final", paramLabel = "final|all|SEQS,...", description = "checkpoint(s) giving the"
      + " later layers, final LayerNorm and unembedding (default: ${DEFAULT-VALUE})")
  String late;

  @Option(names = "--late-run", paramLabel = "OTHER", description = "take the --late checkpoints from this run (same model"
      + " shape) instead of --run")
  Path lateRun;

  @Option(names = "--split-after-layer", required = true, paramLabel = "N", description = "layers taken from the early side"
      + " (1 in a 2-layer model: Layer 1 early, Layer 2 late)")
  int splitAfterLayer;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
  Path out;

  @Override
  public void run() {
    Graft graft = new Graft(splitAfterLayer);
    StoredRun run = options.open();
    graft.checkDepth(run.model().depth());
    StoredRun lateSource = lateRun == null ? run : StoredRun.open(lateRun);
    UserInputException.require(lateSource.model().equals(run.model()), "--late-run " + lateRun + " has model "
        + lateSource.model() + " but --run has " + run.model() + "; graft runs of the same model settings");
    List<CheckpointHistory.Entry> earlyList = run.select(early, "early");
    List<CheckpointHistory.Entry> lateList = lateSource.select(late, "late");
    Path dir = AtomicFiles.prepareDirectory(out);
    List<ResultTables.MetricsRow> rows;
    try (Progress bar = options.noProgress ? null : Progress.start("graft", (long) earlyList.size() * lateList.size(), "net")) {
      rows = Sweeps.graft(run, earlyList, lateList, graft, () -> {
        if (bar != null) {
          bar.stepBy(1);
        }
      });
    }
    ResultTables.writeMetrics(dir.resolve(OUTPUT), List.of("early_seqs", "late_seqs"), rows);
    System.out.println("wrote " + dir.resolve(OUTPUT) + " (" + rows.size() + " grafted networks)");
    Path metrics = run.dir().resolve(TrainingRun.METRICS);
    MetricsLog own = Files.isRegularFile(metrics) ? MetricsLog.read(metrics) : null;
    MechFigures.graft(rows, own, splitAfterLayer, run.model().depth(), dir.resolve("graft"), formats.get()).forEach(f -> System.out.println("wrote " + f));
  }
}
