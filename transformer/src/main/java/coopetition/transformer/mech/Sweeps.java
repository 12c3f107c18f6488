package coopetition.transformer.mech;

import coopetition.transformer.eval.Evaluator;
import coopetition.transformer.train.CheckpointHistory;
import coopetition.transformer.train.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The loops over a history behind {@code ./coop eval}, {@code attention} and {@code graft}; each calls
 * {@code tick} once per network evaluated, for a progress bar.
 */
public final class Sweeps {
  private Sweeps() {}

  /** Every metric of every evaluator at each checkpoint: rows keyed by {@code seqs}. */
  public static List<ResultTables.MetricsRow> evaluate(StoredRun run, List<CheckpointHistory.Entry> checkpoints,
      Runnable tick) {
    List<ResultTables.MetricsRow> rows = new ArrayList<>();
    try (Network net = run.network()) {
      for (CheckpointHistory.Entry e : checkpoints) {
        Map<String, Double> m = CheckpointEval.evaluate(net.load(StoredRun.weights(e), e.file().toString()), run.suite());
        rows.add(new ResultTables.MetricsRow(new long[] {e.seqs()}, m));
        tick.run();
      }
    }
    return rows;
  }

  /** Every attention measure at each checkpoint on each evaluator's sequences. */
  public static List<AttentionMeasure> attention(StoredRun run, List<CheckpointHistory.Entry> checkpoints,
      List<Evaluator> evaluators, Runnable tick) {
    List<AttentionMeasure> out = new ArrayList<>();
    try (Network net = run.network()) {
      for (CheckpointHistory.Entry e : checkpoints) {
        net.load(StoredRun.weights(e), e.file().toString());
        for (Evaluator ev : evaluators) {
          var data = run.suite().get(ev).data();
          out.addAll(AttentionMeasures.measure(e.seqs(), ev, AttentionPatterns.of(net, data), data));
        }
        tick.run();
      }
    }
    return out;
  }

  /**
   * Every (early, late) pair grafted at {@code graft} and scored with {@code run}'s evaluators: rows keyed
   * by {@code early_seqs, late_seqs}. The late side may come from another run of the same model shape.
   */
  public static List<ResultTables.MetricsRow> graft(StoredRun run, List<CheckpointHistory.Entry> early,
      List<CheckpointHistory.Entry> late, Graft graft, Runnable tick) {
    graft.checkDepth(run.model().depth());
    List<ResultTables.MetricsRow> rows = new ArrayList<>();
    try (Network net = run.network()) {
      for (CheckpointHistory.Entry e : early) {
        Weights ew = StoredRun.weights(e);
        for (CheckpointHistory.Entry l : late) {
          Weights g = graft.combine(ew, StoredRun.weights(l));
          Map<String, Double> m = CheckpointEval.evaluate(net.load(g, "graft of " + e.file() + " and " + l.file()),
              run.suite());
          rows.add(new ResultTables.MetricsRow(new long[] {e.seqs(), l.seqs()}, m));
          tick.run();
        }
      }
    }
    return rows;
  }
}
