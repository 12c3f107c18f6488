package coopetition.app.mech;

import coopetition.common.Progress;
import coopetition.transformer.mech.ResultTables;
import coopetition.transformer.mech.StoredRun;
import coopetition.transformer.mech.Sweeps;
import coopetition.transformer.train.CheckpointHistory;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./coop eval}: every evaluator and metric on each stored checkpoint of a run. */
@Command(name = "eval", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Evaluate stored checkpoints (RUN/checkpoints/) with the run's own eval sequences (eval_set.bin);"
        + " writes RUN/eval_checkpoints.csv with columns seqs, then <evaluator>_<metric> as in metrics.csv.")
public final class EvalCommand implements Runnable {
  public static final String OUTPUT = "eval_checkpoints.csv";

  @Mixin
  MechOptions options = new MechOptions();

  @Option(names = "--checkpoints", defaultValue = "all", paramLabel = "all|SEQS,...",
      description = "which checkpoints: all, final, or sequence counts (default: ${DEFAULT-VALUE})")
  String checkpoints;

  @Override
  public void run() {
    StoredRun run = options.open();
    List<CheckpointHistory.Entry> chosen = run.select(checkpoints, "checkpoints");
    List<ResultTables.MetricsRow> rows;
    try (Progress bar = options.noProgress ? null : Progress.start("eval", chosen.size(), "ckpt")) {
      rows = Sweeps.evaluate(run, chosen, () -> {
        if (bar != null) {
          bar.stepBy(1);
        }
      });
    }
    Path out = run.dir().resolve(OUTPUT);
    ResultTables.writeMetrics(out, List.of("seqs"), rows);
    System.out.println("wrote " + out + " (" + rows.size() + " checkpoints)");
  }
}
