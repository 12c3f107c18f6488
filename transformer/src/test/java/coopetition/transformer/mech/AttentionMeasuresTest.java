package coopetition.transformer.mech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.eval.Evaluator;
import coopetition.transformer.mech.AttentionMeasure.Measure;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attention patterns of a real model are distributions; the measures equal hand-computed values. */
class AttentionMeasuresTest {

  @Test
  void everyQueryRowIsADistributionOverThePastOnly(@TempDir Path tmp) {
    StoredRun run = StoredRun.open(MechTestRuns.train(MechTestRuns.tiny().with("train_seqs", "240"), tmp));
    SequenceBatch flip = run.suite().get(Evaluator.FLIP).data();
    try (Network net = new Network(run.model())) {
      AttentionPatterns a = AttentionPatterns.of(net.load(StoredRun.weights(run.last()), "last"), flip);
      assertEquals(2, a.layers());
      assertEquals(2, a.heads());
      assertEquals(5, a.tokens());
      assertEquals(40, a.size());
      for (int l = 0; l < 2; l++) {
        for (int h = 0; h < 2; h++) {
          for (int i = 0; i < a.size(); i++) {
            for (int from = 0; from < 5; from++) {
              double sum = 0;
              for (int to = 0; to < 5; to++) {
                double v = a.at(l, h, i, from, to);
                assertTrue(v >= 0, "negative attention");
                if (to > from) {
                  assertEquals(0.0, v, 0.0, "causal mask: " + from + " -> " + to);
                }
                sum += v;
              }
              assertEquals(1.0, sum, 1e-5, "row sum layer " + l + " head " + h + " seq " + i + " token " + from);
            }
          }
        }
      }
    }
  }

  /**
   * Two ctx-2 Flip-like sequences (target label 7): sequence 0 has the target on pair 0 (token 2, 1-based),
   * sequence 1 on pair 1 (token 4). One layer, one head, patterns written by hand.
   */
  @Test
  void measuresEqualHandComputedValues() {
    int pairs = 3;
    int[] labels = {7, 3, 7, /* */ 3, 7, 7};
    SequenceBatch b = new SequenceBatch(2, pairs, 1, new float[6], labels, new int[6], new int[6], new int[6]);
    assertEquals(0, AttentionMeasures.correctPair(b, 0));
    assertEquals(1, AttentionMeasures.correctPair(b, 1));
    int t = 5;
    float[] v = new float[2 * t * t];
    // sequence 0 (rows: from-token, 0-based)
    set(v, 0, 0, new float[] {1, 0, 0, 0, 0});
    set(v, 0, 1, new float[] {0.75f, 0.25f, 0, 0, 0}); // label 1: prev 0.75, self 0.25
    set(v, 0, 2, new float[] {0, 0.5f, 0.5f, 0, 0}); // exemplar 2: prev 0.5, self 0.5
    set(v, 0, 3, new float[] {0, 0, 0.25f, 0.75f, 0}); // label 2: prev 0.25, self 0.75
    set(v, 0, 4, new float[] {0.1f, 0.6f, 0.05f, 0.2f, 0.05f}); // query: correct label token 1 (0-based) 0.6, other 0.2
    // sequence 1
    set(v, 1, 0, new float[] {1, 0, 0, 0, 0});
    set(v, 1, 1, new float[] {0.5f, 0.5f, 0, 0, 0});
    set(v, 1, 2, new float[] {0, 0.25f, 0.75f, 0, 0});
    set(v, 1, 3, new float[] {0, 0, 0.5f, 0.5f, 0});
    set(v, 1, 4, new float[] {0, 0.3f, 0, 0.5f, 0.2f}); // correct label token 3 (0-based) 0.5, other 0.3
    AttentionPatterns a = new AttentionPatterns(2, 1, 1, t, new float[][] {v});
    List<AttentionMeasure> m = AttentionMeasures.measure(42, Evaluator.FLIP, a, b);

    // induction: seq 0: 0.6 - 0.2 = 0.4; seq 1: 0.5 - 0.3 = 0.2; mean 0.3
    assertEquals(0.3, one(m, Measure.INDUCTION_STRENGTH, 0, 0).value(), 1e-6);
    assertEquals(2, one(m, Measure.INDUCTION_STRENGTH, 0, 0).sequences());
    // previous-token at labels: seq 0 (0.75 + 0.25)/2, seq 1 (0.5 + 0.5)/2 -> 0.5; self: (0.25+0.75)/2, (0.5+0.5)/2 -> 0.5
    assertEquals(0.5, one(m, Measure.PREV_TOKEN_AT_LABELS, 0, 0).value(), 1e-6);
    assertEquals(0.5, one(m, Measure.SELF_AT_LABELS, 0, 0).value(), 1e-6);
    // exemplars 2 and the query: prev seq 0 (0.5 + 0.2)/2 = 0.35, seq 1 (0.25 + 0.5)/2 = 0.375 -> 0.3625
    assertEquals(0.3625, one(m, Measure.PREV_TOKEN_AT_EXEMPLARS, 0, 0).value(), 1e-6);
    // self seq 0 (0.5 + 0.05)/2 = 0.275, seq 1 (0.75 + 0.2)/2 = 0.475 -> 0.375
    assertEquals(0.375, one(m, Measure.SELF_AT_EXEMPLARS, 0, 0).value(), 1e-6);
    // query row, token 2 (1-based): (0.6 + 0.3)/2
    assertEquals(0.45, one(m, Measure.QUERY_ROW, 2, 0).value(), 1e-6);
    // grouped by the correct label's token: token 2 -> only seq 0, token 4 -> only seq 1
    assertEquals(0.6, one(m, Measure.QUERY_ROW_BY_CORRECT_LABEL, 2, 2).value(), 1e-6);
    assertEquals(0.5, one(m, Measure.QUERY_ROW_BY_CORRECT_LABEL, 4, 4).value(), 1e-6);
    assertEquals(1, one(m, Measure.QUERY_ROW_BY_CORRECT_LABEL, 4, 4).sequences());
    AttentionMeasure any = m.get(0);
    assertEquals(42, any.seqs());
    assertEquals(1, any.layer());
    assertEquals(1, any.head());
  }

  private static void set(float[] v, int seq, int from, float[] row) {
    System.arraycopy(row, 0, v, (seq * 5 + from) * 5, 5);
  }

  private static AttentionMeasure one(List<AttentionMeasure> m, Measure measure, int keyToken, int correctToken) {
    List<AttentionMeasure> hits = m.stream().filter(x -> x.measure() == measure && x.keyToken() == keyToken
        && x.correctLabelToken() == correctToken).toList();
    assertEquals(1, hits.size(), measure + " " + keyToken + " " + correctToken);
    return hits.get(0);
  }
}
