package coopetition.transformer.intervene;

import coopetition.common.AtomicFiles;
import coopetition.transformer.eval.Evaluator;
import coopetition.transformer.eval.Metrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One evaluated manipulation: what was done, the head and value it was swept over (for tables and figures),
 * and the evaluator's mean metrics under it.
 *
 * @param manipulation the manipulation's label
 * @param head the head swept ({@code layer:head} from 0), or "" when none
 * @param value the swept value (delta, strength, temperature), or NaN
 * @param evaluator whose sequences
 * @param acc accuracy over all classes
 * @param inContextAcc accuracy among the labels in context (the paper's in-context accuracy; chance 1/L)
 * @param loss cross-entropy
 */
public record Measured(String manipulation, String head, double value, Evaluator evaluator, double acc,
    double inContextAcc, double loss) {

  public static final String HEADER = "manipulation,head,value,evaluator,acc,in_context_acc,loss";

  /** Evaluates {@code m} on the evaluator's sequences of {@code data}. */
  public static Measured of(Manipulation m, String head, double value, Evaluator evaluator, Metrics.PerSequence r) {
    return new Measured(m.label(), head, value, evaluator, r.mean(Metrics.ACC), r.mean(Metrics.IN_CONTEXT_ACC),
        r.mean(Metrics.LOSS));
  }

  /** Writes rows to {@code file} atomically (a reader never sees half a table). */
  public static void write(Path file, List<Measured> rows) {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Measured r : rows) {
      sb.append('"').append(r.manipulation).append('"').append(',').append(r.head).append(',')
          .append(Double.isNaN(r.value) ? "" : num(r.value)).append(',').append(r.evaluator.columnPrefix()).append(',')
          .append(num(r.acc)).append(',').append(num(r.inContextAcc)).append(',').append(num(r.loss)).append('\n');
    }
    AtomicFiles.writeString(file, sb.toString());
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%s", v);
  }
}
