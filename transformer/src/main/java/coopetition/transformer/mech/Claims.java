package coopetition.transformer.mech;

import coopetition.transformer.eval.Evaluator;
import coopetition.transformer.mech.AttentionMeasure.Measure;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The paper's mechanistic claims (PAPER-SETUP §5.5-5.8) checked against measured results, one verdict each,
 * with thresholds stated in the text of the row so a reader can disagree with them.
 */
public final class Claims {
  private Claims() {}

  /** How a claim fared. */
  public enum Verdict { HOLDS, PARTLY, DOES_NOT_HOLD, NOT_MEASURED }

  /** One row of REPORT.md. */
  public record Row(String figure, String claim, String measured, Verdict verdict) {}

  /** Fig 3a: the last layer's mean induction strength on Flip rises above 0 (ICL), then falls below 0 (CIWL). */
  public static Row inductionStrength(List<AttentionMeasure> m, int layer) {
    TreeMap<Long, Double> mean = meanOverHeads(m, a -> a.evaluator() == Evaluator.FLIP && a.layer() == layer
        && a.measure() == Measure.INDUCTION_STRENGTH);
    String claim = "Layer-" + layer + " induction strength on Flip rises above 0 while ICL emerges, then falls below 0 as CIWL"
        + " takes over; heads nearly identical";
    if (mean.isEmpty()) {
      return new Row("3a", claim, "no Flip attention measured", Verdict.NOT_MEASURED);
    }
    Map.Entry<Long, Double> peak = mean.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
    double last = mean.lastEntry().getValue();
    String measured = String.format(Locale.ROOT, "mean over heads: peak %+.3f at %,d seqs, %+.3f at the last checkpoint (%,d)",
        peak.getValue(), peak.getKey(), last, mean.lastKey());
    Verdict v = peak.getValue() > 0.1 && last < 0 ? Verdict.HOLDS
        : peak.getValue() > 0.1 || last < 0 ? Verdict.PARTLY : Verdict.DOES_NOT_HOLD;
    return new Row("3a", claim + " (holds: peak > 0.1 and last < 0)", measured, v);
  }

  /**
   * Fig 3b: with the later layers and unembedding fixed from the end of training, each checkpoint's
   * embeddings and early layers reproduce the run's own in-context accuracies.
   */
  public static Row graftFromEnd(List<ResultTables.MetricsRow> grafts, Map<Long, Map<String, Double>> own) {
    String claim = "Layer 2 + unembedding from the end of training, embeddings + Layer 1 from each checkpoint: nearly the run's"
        + " own curves (holds: mean absolute difference of Train/ICL/CIWL/Flip in-context acc < 0.05, partly < 0.15)";
    double sum = 0;
    double worst = 0;
    int n = 0;
    for (ResultTables.MetricsRow r : grafts) {
      Map<String, Double> o = own.get(r.keys()[0]);
      if (o == null) {
        continue;
      }
      for (String col : IN_CONTEXT) {
        double d = Math.abs(r.metrics().get(col) - o.get(col));
        sum += d;
        worst = Math.max(worst, d);
        n++;
      }
    }
    if (n == 0) {
      return new Row("3b", claim, "no grafts at checkpoints the run evaluated", Verdict.NOT_MEASURED);
    }
    double mean = sum / n;
    return new Row("3b", claim, String.format(Locale.ROOT, "mean absolute difference %.3f, largest %.3f, over %d checkpoints",
        mean, worst, n / IN_CONTEXT.size()), mean < 0.05 ? Verdict.HOLDS : mean < 0.15 ? Verdict.PARTLY : Verdict.DOES_NOT_HOLD);
  }

  /**
   * Fig 3c: with embeddings and early layers fixed at a checkpoint, the Flip accuracy stays near its value
   * at that checkpoint however the later layers move on.
   */
  public static Row graftFromPoint(List<ResultTables.MetricsRow> grafts, Map<Long, Map<String, Double>> own) {
    String claim = "Embeddings + Layer 1 fixed at a checkpoint, Layer 2 + unembedding from later ones: Flip in-context acc stays"
        + " at its value at the graft point (holds: every drift < 0.1, partly < 0.25)";
    TreeMap<Long, Double> drift = new TreeMap<>();
    for (ResultTables.MetricsRow r : grafts) {
      Map<String, Double> o = own.get(r.keys()[0]);
      if (o != null && r.keys()[1] > r.keys()[0]) { // the graft point itself is the run's own network
        double d = Math.abs(r.metrics().get(FLIP) - o.get(FLIP));
        drift.merge(r.keys()[0], d, Math::max);
      }
    }
    if (drift.isEmpty()) {
      return new Row("3c", claim, "no later checkpoints to graft onto", Verdict.NOT_MEASURED);
    }
    StringBuilder sb = new StringBuilder("largest Flip drift from the graft point:");
    drift.forEach((k, d) -> sb.append(String.format(Locale.ROOT, " %.3f (fixed at %,d)", d, k)));
    double worst = drift.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return new Row("3c", claim, sb.toString(), worst < 0.1 ? Verdict.HOLDS : worst < 0.25 ? Verdict.PARTLY : Verdict.DOES_NOT_HOLD);
  }

  /** Fig 2a: at the last checkpoint every last-layer head attends from the query mostly to the correct label (CIWL). */
  public static Row copiesCorrectLabel(List<AttentionMeasure> m, long seqs, int layer, int heads) {
    String claim = "On CIWL sequences at the end, every Layer-" + layer + " head attends from the query mostly to the correct"
        + " label (paper ~0.7), less to the other label (~0.3), ~0 to exemplars (holds: every head correct > other and"
        + " exemplars < 0.1)";
    double correct = 0;
    double other = 0;
    double exemplars = 0;
    int headsOk = 0;
    int groups = 0;
    for (int h = 1; h <= heads; h++) {
      for (int c : new int[] {2, 4}) {
        int head = h;
        int cl = c;
        Map<Integer, Double> row = new TreeMap<>();
        m.stream().filter(a -> a.seqs() == seqs && a.evaluator() == Evaluator.CIWL && a.layer() == layer && a.head() == head
            && a.measure() == Measure.QUERY_ROW_BY_CORRECT_LABEL && a.correctLabelToken() == cl)
            .forEach(a -> row.put(a.keyToken(), a.value()));
        if (row.size() < 5) {
          continue;
        }
        double cor = row.get(c);
        double oth = row.get(c == 2 ? 4 : 2);
        double ex = row.get(1) + row.get(3) + row.get(5);
        correct += cor;
        other += oth;
        exemplars += ex;
        groups++;
        if (c == 2 && cor > oth && ex < 0.1) {
          headsOk++;
        }
      }
    }
    if (groups == 0) {
      return new Row("2a", claim, "no CIWL attention at the last checkpoint (ctx 2 only)", Verdict.NOT_MEASURED);
    }
    String measured = String.format(Locale.ROOT, "mean over heads and positions: correct label %.3f, other label %.3f,"
        + " exemplars + query %.3f; %d of %d heads pass (correct label at token 2)", correct / groups, other / groups,
        exemplars / groups, headsOk, heads);
    return new Row("2a", claim, measured, headsOk == heads ? Verdict.HOLDS : headsOk > 0 ? Verdict.PARTLY : Verdict.DOES_NOT_HOLD);
  }

  /** Appendix: Layer-1 label tokens move from previous-token to self attention. */
  public static Row previousTokenToSelf(List<AttentionMeasure> m) {
    String claim = "Layer-1 label tokens start with previous-token attention (~0.3-0.5) that decays to ~0 while self attention"
        + " rises to ~0.9 (holds: mean prev-token falls below 0.1 and self rises above 0.8)";
    TreeMap<Long, Double> prev = meanOverHeads(m, a -> a.layer() == 1 && a.measure() == Measure.PREV_TOKEN_AT_LABELS);
    TreeMap<Long, Double> self = meanOverHeads(m, a -> a.layer() == 1 && a.measure() == Measure.SELF_AT_LABELS);
    if (prev.isEmpty()) {
      return new Row("PT", claim, "no attention measured", Verdict.NOT_MEASURED);
    }
    String measured = String.format(Locale.ROOT, "mean over heads: prev-token %.3f -> %.3f, self %.3f -> %.3f (%,d -> %,d seqs)",
        prev.firstEntry().getValue(), prev.lastEntry().getValue(), self.firstEntry().getValue(), self.lastEntry().getValue(),
        prev.firstKey(), prev.lastKey());
    boolean a = prev.lastEntry().getValue() < 0.1;
    boolean b = self.lastEntry().getValue() > 0.8;
    return new Row("PT", claim, measured, a && b ? Verdict.HOLDS : a || b ? Verdict.PARTLY : Verdict.DOES_NOT_HOLD);
  }

  /** REPORT.md: the table and a line on what was measured. */
  public static String markdown(String title, List<Row> rows, String setting) {
    StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n").append(setting).append("\n\n");
    sb.append("| figure | the paper's claim | measured here | verdict |\n|---|---|---|---|\n");
    for (Row r : rows) {
      sb.append("| ").append(r.figure()).append(" | ").append(r.claim()).append(" | ").append(r.measured()).append(" | ")
          .append(r.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' ')).append(" |\n");
    }
    return sb.toString();
  }

  private static final String FLIP = "flip_in_context_acc";
  private static final List<String> IN_CONTEXT = List.of("train_eval_in_context_acc", "icl_in_context_acc",
      "ciwl_in_context_acc", FLIP);

  private static TreeMap<Long, Double> meanOverHeads(List<AttentionMeasure> m, Predicate<AttentionMeasure> which) {
    TreeMap<Long, double[]> s = new TreeMap<>();
    for (AttentionMeasure a : m) {
      if (which.test(a)) {
        double[] v = s.computeIfAbsent(a.seqs(), k -> new double[2]);
        v[0] += a.value();
        v[1]++;
      }
    }
    TreeMap<Long, Double> out = new TreeMap<>();
    s.forEach((k, v) -> out.put(k, v[0] / v[1]));
    return out;
  }
}
