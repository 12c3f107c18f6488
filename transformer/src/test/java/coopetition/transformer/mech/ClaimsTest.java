package coopetition.transformer.mech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.transformer.eval.Evaluator;
import coopetition.transformer.mech.AttentionMeasure.Measure;
import coopetition.transformer.mech.Claims.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verdicts follow the thresholds written in each row. */
class ClaimsTest {

  private static AttentionMeasure induction(long seqs, int head, double v) {
    return new AttentionMeasure(seqs, Evaluator.FLIP, 2, head, Measure.INDUCTION_STRENGTH, 0, 0, v, 10);
  }

  @Test
  void inductionRiseThenFallHoldsAndRiseAloneIsPartly() {
    List<AttentionMeasure> m = List.of(induction(0, 1, 0.0), induction(0, 2, 0.02), induction(100, 1, 0.3),
        induction(100, 2, 0.2), induction(200, 1, -0.4), induction(200, 2, -0.2));
    Claims.Row r = Claims.inductionStrength(m, 2);
    assertEquals(Verdict.HOLDS, r.verdict());
    assertTrue(r.measured().contains("peak +0.250 at 100 seqs"), r.measured());
    assertTrue(r.measured().contains("-0.300 at the last checkpoint"), r.measured());
    assertEquals(Verdict.PARTLY, Claims.inductionStrength(m.subList(0, 4), 2).verdict());
    assertEquals(Verdict.NOT_MEASURED, Claims.inductionStrength(m, 1).verdict());
  }

  @Test
  void graftVerdictsUseTheMeanAbsoluteDifference() {
    Map<String, Double> own = Map.of("train_eval_in_context_acc", 1.0, "icl_in_context_acc", 0.9,
        "ciwl_in_context_acc", 0.8, "flip_in_context_acc", 0.5);
    Map<String, Double> near = Map.of("train_eval_in_context_acc", 0.98, "icl_in_context_acc", 0.9,
        "ciwl_in_context_acc", 0.8, "flip_in_context_acc", 0.46);
    Map<String, Double> far = Map.of("train_eval_in_context_acc", 0.5, "icl_in_context_acc", 0.5,
        "ciwl_in_context_acc", 0.5, "flip_in_context_acc", 0.9);
    List<ResultTables.MetricsRow> good = List.of(new ResultTables.MetricsRow(new long[] {100, 200}, near));
    assertEquals(Verdict.HOLDS, Claims.graftFromEnd(good, Map.of(100L, own)).verdict());
    List<ResultTables.MetricsRow> bad = List.of(new ResultTables.MetricsRow(new long[] {100, 200}, far));
    assertEquals(Verdict.DOES_NOT_HOLD, Claims.graftFromEnd(bad, Map.of(100L, own)).verdict());
    // 3c: only later checkpoints count; the graft point itself is the run's own network
    List<ResultTables.MetricsRow> self = List.of(new ResultTables.MetricsRow(new long[] {100, 100}, far));
    assertEquals(Verdict.NOT_MEASURED, Claims.graftFromPoint(self, Map.of(100L, own)).verdict());
    assertEquals(Verdict.DOES_NOT_HOLD, Claims.graftFromPoint(bad, Map.of(100L, own)).verdict()); // Flip drift 0.4
    assertEquals(Verdict.HOLDS, Claims.graftFromPoint(good, Map.of(100L, own)).verdict()); // 0.04
  }

  @Test
  void fig2aNeedsEveryHeadOnTheCorrectLabel() {
    List<AttentionMeasure> m = new ArrayList<>();
    double[][] rows = {{0.02, 0.7, 0.02, 0.25, 0.01}, {0.02, 0.25, 0.02, 0.7, 0.01}}; // correct at token 2, then 4
    for (int head = 1; head <= 2; head++) {
      for (int g = 0; g < 2; g++) {
        for (int k = 1; k <= 5; k++) {
          double v = head == 2 && g == 0 ? rows[1][k - 1] : rows[g][k - 1]; // head 2 looks at the wrong label
          m.add(new AttentionMeasure(500, Evaluator.CIWL, 2, head, Measure.QUERY_ROW_BY_CORRECT_LABEL, k, 2 + 2 * g, v, 5));
        }
      }
    }
    Claims.Row r = Claims.copiesCorrectLabel(m, 500, 2, 2);
    assertEquals(Verdict.PARTLY, r.verdict());
    assertTrue(r.measured().contains("1 of 2 heads pass"), r.measured());
    String md = Claims.markdown("T", List.of(r), "setting");
    assertTrue(md.contains("| 2a |"));
    assertFalse(md.lines().filter(l -> l.startsWith("| 2a")).findFirst().orElseThrow().chars().filter(c -> c == '|').count() != 5,
        "a row has exactly four cells");
  }
}
