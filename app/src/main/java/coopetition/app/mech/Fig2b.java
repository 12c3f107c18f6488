package coopetition.app.mech;

import coopetition.app.intervene.InterveneFigures;
import coopetition.common.Progress;
import coopetition.figures.FigureWriter;
import coopetition.transformer.eval.Evaluator;
import coopetition.transformer.intervene.ClampSweep;
import coopetition.transformer.intervene.Interventions;
import coopetition.transformer.intervene.Manipulation;
import coopetition.transformer.intervene.Measured;
import coopetition.transformer.mech.Claims;
import coopetition.transformer.mech.Network;
import coopetition.transformer.mech.StoredRun;
import coopetition.transformer.model.HeadRef;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.train.CheckpointHistory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code reproduce 2b}: the clamp sweep of every last-layer head on CIWL at one checkpoint, its figure and claim. */
final class Fig2b {
  private Fig2b() {}

  static Claims.Row reproduce(StoredRun run, CheckpointHistory.Entry at, Path dir, Set<FigureWriter.Format> formats,
      boolean noProgress) {
    ModelConfig model = run.model();
    List<HeadRef> heads = new ArrayList<>();
    for (int h = 0; h < model.numHeads(); h++) {
      heads.add(new HeadRef(model.depth() - 1, h));
    }
    List<Measured> rows = new ArrayList<>();
    var data = run.suite().get(Evaluator.CIWL).data();
    long total = (long) heads.size() * ClampSweep.DELTAS.size();
    try (Network net = run.network().load(StoredRun.weights(at), at.file().toString());
        Progress bar = noProgress ? null : Progress.start("clamp 2b", total, "eval")) {
      rows.add(Measured.of(new Manipulation.None(), "", Double.NaN, Evaluator.CIWL,
          Interventions.evaluate(net, data, new Manipulation.None())));
      rows.addAll(ClampSweep.run(net, Evaluator.CIWL, data, heads, ClampSweep.DELTAS, () -> {
        if (bar != null) {
          bar.stepBy(1);
        }
      }));
    }
    Measured.write(dir.resolve("clamp_2b.csv"), rows);
    InterveneFigures.fig2b(rows, run.config().data().contextLength(), at.seqs() + " seqs", dir.resolve("fig2b"), formats);
    return ClampSweep.claim(rows, at.seqs());
  }
}
