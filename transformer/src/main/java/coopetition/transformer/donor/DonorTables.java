package coopetition.transformer.donor;

import coopetition.common.AtomicFiles;
import coopetition.transformer.train.MetricsLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The CSV files of a donor experiment: every child's curves in one wide table ({@code curves.csv}: child,
 * donor_seqs, seqs on the experiment's axis, the child's own seqs, then the in-context accuracies), and one
 * summary row per child ({@code summary.csv}).
 */
public final class DonorTables {
  public static final String CURVES = "curves.csv";
  public static final String SUMMARY = "summary.csv";

  /** The columns copied from each child's metrics.csv. */
  public static final List<String> METRICS = List.of("icl_in_context_acc", "flip_in_context_acc", "ciwl_in_context_acc",
      "train_eval_in_context_acc", "iwl_acc", "train_loss");

  private DonorTables() {}

  public static void writeCurves(Path file, List<ChildRun> children) {
    StringBuilder sb = new StringBuilder("child,donor_seqs,seqs,own_seqs");
    METRICS.forEach(m -> sb.append(',').append(m));
    sb.append('\n');
    for (ChildRun c : children) {
      MetricsLog log = c.metrics();
      double[] x = log.column("seqs");
      for (int i = 0; i < x.length; i++) {
        sb.append(c.name()).append(',').append(c.donorSeqs() < 0 ? "" : Long.toString(c.donorSeqs())).append(',')
            .append((long) c.axisSeqs(x[i])).append(',').append((long) x[i]);
        for (String m : METRICS) {
          double v = log.columns().contains(m) ? log.column(m)[i] : Double.NaN;
          sb.append(',').append(Double.isNaN(v) ? "" : Double.toString(v));
        }
        sb.append('\n');
      }
    }
    AtomicFiles.writeString(file, sb.toString());
  }

  public static void writeSummary(Path file, List<ChildSummary> rows) {
    StringBuilder sb = new StringBuilder(
        "child,donor_seqs,metric,threshold,first,best,best_at,last,reached_at,trained\n");
    for (ChildSummary r : rows) {
      sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%.4f,%.4f,%d,%.4f,%s,%d%n", r.child(),
          r.donorSeqs() < 0 ? "" : Long.toString(r.donorSeqs()), r.metric(), r.threshold(), r.first(), r.best(),
          r.bestAt(), r.last(), r.reached() ? Long.toString(r.reachedAt()) : "", r.trained()));
    }
    AtomicFiles.writeString(file, sb.toString());
  }
}
