package coopetition.transformer.donor;

import coopetition.transformer.train.MetricsLog;

/**
 * One child's curve of one metric reduced to what Fig 4 compares: where it starts, its best, its end, and the
 * first sequences (on the experiment's axis) at which it reached a threshold.
 *
 * @param child the child's name
 * @param donorSeqs sequences the donor had seen (-1: no donor)
 * @param metric a metrics.csv column, e.g. {@code icl_in_context_acc}
 * @param threshold the level asked about (e.g. 0.9)
 * @param first the value at the first eval
 * @param best the highest value
 * @param bestAt sequences (axis) of the highest value
 * @param last the value at the last eval
 * @param reachedAt the first sequences (axis) at which the value was at or above the threshold; -1 if never
 * @param trained sequences the child trained for
 */
public record ChildSummary(String child, long donorSeqs, String metric, double threshold, double first, double best,
    long bestAt, double last, long reachedAt, long trained) {

  public boolean reached() {
    return reachedAt >= 0;
  }

  /** Sequences of its own training the child needed to reach the threshold; -1 if it never did. */
  public long ownSeqsToReach(ChildRun run) {
    return reachedAt < 0 ? -1 : reachedAt - (long) run.axisSeqs(0);
  }

  public static ChildSummary of(ChildRun run, String metric, double threshold) {
    MetricsLog log = run.metrics();
    double[] x = log.column("seqs");
    double[] y = log.column(metric);
    int best = 0;
    long reached = -1;
    for (int i = 0; i < y.length; i++) {
      if (y[i] > y[best]) {
        best = i;
      }
      if (reached < 0 && y[i] >= threshold) {
        reached = (long) run.axisSeqs(x[i]);
      }
    }
    return new ChildSummary(run.name(), run.donorSeqs(), metric, threshold, y[0], y[best], (long) run.axisSeqs(x[best]),
        y[y.length - 1], reached, (long) x[x.length - 1]);
  }
}
