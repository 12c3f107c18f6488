package coopetition.transformer.mech;

import coopetition.common.AtomicFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CSV files of the mechanistic commands, written atomically: per-checkpoint metrics in metrics.csv's
 * column names, and attention measures in long format.
 */
public final class ResultTables {
  private ResultTables() {}

  /** One row of a metrics table: its key values (e.g. seqs, or early_seqs and late_seqs) and its metrics. */
  public record MetricsRow(long[] keys, Map<String, Double> metrics) {}

  /**
   * Writes {@code keyColumns} then every metric column of the first row ({@code <evaluator>_<metric>}, in
   * metrics.csv order); numbers as the shortest text that parses back to the same double.
   */
  public static void writeMetrics(Path file, List<String> keyColumns, List<MetricsRow> rows) {
    StringBuilder sb = new StringBuilder(String.join(",", keyColumns));
    List<String> metricColumns = rows.isEmpty() ? List.of() : List.copyOf(rows.get(0).metrics().keySet());
    for (String c : metricColumns) {
      sb.append(',').append(c);
    }
    sb.append('\n');
    for (MetricsRow r : rows) {
      for (int i = 0; i < r.keys().length; i++) {
        sb.append(i == 0 ? "" : ",").append(r.keys()[i]);
      }
      for (String c : metricColumns) {
        sb.append(',').append(number(r.metrics().get(c)));
      }
      sb.append('\n');
    }
    AtomicFiles.writeString(file, sb.toString());
  }

  /** attention.csv header: one row per (checkpoint, evaluator, layer, head, measure, key token, correct label token). */
  public static final String ATTENTION_HEADER =
      "seqs,evaluator,layer,head,measure,key_token,correct_label_token,value,sequences";

  public static void writeAttention(Path file, List<AttentionMeasure> rows) {
    StringBuilder sb = new StringBuilder(ATTENTION_HEADER).append('\n');
    for (AttentionMeasure m : rows) {
      sb.append(m.seqs()).append(',').append(m.evaluator().columnPrefix()).append(',').append(m.layer()).append(',')
          .append(m.head()).append(',').append(m.measure().column()).append(',')
          .append(m.keyToken() == 0 ? "" : Integer.toString(m.keyToken())).append(',')
          .append(m.correctLabelToken() == 0 ? "" : Integer.toString(m.correctLabelToken())).append(',')
          .append(number(m.value())).append(',').append(m.sequences()).append('\n');
    }
    AtomicFiles.writeString(file, sb.toString());
  }

  static String number(Double v) {
    if (v == null || v.isNaN()) {
      return "";
    }
    return Double.toString(v).toLowerCase(Locale.ROOT);
  }
}
