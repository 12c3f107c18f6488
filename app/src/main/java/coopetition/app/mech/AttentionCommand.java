package coopetition.app.mech;

import coopetition.app.FigureFormats;
import coopetition.common.AtomicFiles;
import coopetition.common.Progress;
import coopetition.transformer.eval.Evaluator;
import coopetition.transformer.mech.AttentionMeasure;
import coopetition.transformer.mech.ResultTables;
import coopetition.transformer.mech.StoredRun;
import coopetition.transformer.mech.Sweeps;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.train.CheckpointHistory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./coop attention}: the paper's attention measures over a run's checkpoint history. */
@Command(name = "attention", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Attention measures per stored checkpoint, layer and head on the run's eval sequences: the query"
        + " row, induction strength (Fig 3a), previous-token vs self attention (appendix), and the query row by the"
        + " correct label's token (Fig 2a). Writes OUT/attention.csv (long format; layers, heads and tokens numbered"
        + " from 1) and the figures induction_strength, previous_token and fig2a.")
public final class AttentionCommand implements Runnable {
  public static final String OUTPUT = "attention.csv";

  @Mixin
  MechOptions options = new MechOptions();

  @Mixin
  FigureFormats formats = new FigureFormats();

  @Option(names = "--evaluator", split = ",", paramLabel = "NAME", defaultValue = "flip,ciwl,icl,train",
      description = "whose sequences: any of flip, ciwl, icl, train, iwl (default: ${DEFAULT-VALUE})")
  List<String> evaluators;

  @Option(names = "--checkpoints", defaultValue = "all", paramLabel = "all|SEQS,...",
      description = "which checkpoints: all, final, or sequence counts (default: ${DEFAULT-VALUE})")
  String checkpoints;

  @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: the run directory)")
  Path out;

  @Override
  public void run() {
    List<Evaluator> evs = new ArrayList<>(new LinkedHashSet<>(evaluators.stream().map(Evaluator::byName).toList()));
    StoredRun run = options.open();
    for (Evaluator e : evs) {
      run.suite().get(e); // the run's eval set holds every evaluator; fail early if not
    }
    List<CheckpointHistory.Entry> chosen = run.select(checkpoints, "checkpoints");
    Path dir = out != null ? AtomicFiles.prepareDirectory(out) : run.dir();
    List<AttentionMeasure> m;
    try (Progress bar = options.noProgress ? null : Progress.start("attention", chosen.size(), "ckpt")) {
      m = Sweeps.attention(run, chosen, evs, () -> {
        if (bar != null) {
          bar.stepBy(1);
        }
      });
    }
    ResultTables.writeAttention(dir.resolve(OUTPUT), m);
    System.out.println("wrote " + dir.resolve(OUTPUT) + " (" + m.size() + " rows)");
    ModelConfig model = run.model();
    int last = model.depth();
    int heads = model.numHeads();
    List<Path> figs = new ArrayList<>();
    if (evs.contains(Evaluator.FLIP)) {
      figs.addAll(MechFigures.induction(m, last, heads, dir.resolve("induction_strength"), formats.get()));
    }
    figs.addAll(MechFigures.previousToken(m, 1, heads, dir.resolve("previous_token"), formats.get()));
    if (evs.contains(Evaluator.CIWL)) {
      long finalSeqs = chosen.get(chosen.size() - 1).seqs();
      int tokens = ModelConfig.tokens(run.config().data().contextLength() + 1);
      figs.addAll(MechFigures.byCorrectLabel(m, finalSeqs, last, heads, tokens, dir.resolve("fig2a"), formats.get()));
    }
    figs.forEach(f -> System.out.println("wrote " + f));
  }
}
