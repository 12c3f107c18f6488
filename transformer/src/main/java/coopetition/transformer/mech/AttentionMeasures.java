package coopetition.transformer.mech;

import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.eval.Evaluator;
import coopetition.transformer.mech.AttentionMeasure.Measure;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's attention measures (PAPER-SETUP §5.5, §5.6, §5.8) from patterns and the sequences they came
 * from. Token layout (0-based here): exemplar of pair p at {@code 2p}, its label at {@code 2p+1}, the query
 * at {@code 2L}.
 */
public final class AttentionMeasures {
  private AttentionMeasures() {}

  /**
   * The context pair (0-based) whose label is the first one equal to the query's target, or −1 if the
   * target is not in context (the authors' {@code correct_ind}). For Flip it is the query-class exemplar's
   * pair, for CIWL the pair whose label was overwritten with the query's.
   */
  public static int correctPair(SequenceBatch b, int seq) {
    int y = b.target(seq);
    for (int p = 0; p < b.contextLength(); p++) {
      if (b.label(seq, p) == y) {
        return p;
      }
    }
    return -1;
  }

  /** Every measure for every layer and head. */
  public static List<AttentionMeasure> measure(long seqs, Evaluator evaluator, AttentionPatterns a, SequenceBatch b) {
    if (a.size() != b.size() || a.tokens() != 2 * b.contextLength() + 1) {
      throw new IllegalArgumentException("patterns " + a.size() + "x" + a.tokens() + " do not belong to " + b);
    }
    int ctx = b.contextLength();
    int q = a.tokens() - 1;
    int[] correct = new int[b.size()];
    for (int i = 0; i < b.size(); i++) {
      correct[i] = correctPair(b, i);
    }
    List<AttentionMeasure> out = new ArrayList<>();
    for (int l = 0; l < a.layers(); l++) {
      for (int h = 0; h < a.heads(); h++) {
        Head head = new Head(seqs, evaluator, l, h, out);
        for (int k = 0; k < a.tokens(); k++) {
          double s = 0;
          for (int i = 0; i < b.size(); i++) {
            s += a.at(l, h, i, q, k);
          }
          head.add(Measure.QUERY_ROW, k + 1, 0, s, b.size());
        }
        for (int c = 0; c < ctx; c++) {
          int n = 0;
          double[] sums = new double[a.tokens()];
          for (int i = 0; i < b.size(); i++) {
            if (correct[i] == c) {
              n++;
              for (int k = 0; k < a.tokens(); k++) {
                sums[k] += a.at(l, h, i, q, k);
              }
            }
          }
          for (int k = 0; k < a.tokens() && n > 0; k++) {
            head.add(Measure.QUERY_ROW_BY_CORRECT_LABEL, k + 1, 2 * c + 2, sums[k], n);
          }
        }
        double induction = 0;
        int withTarget = 0;
        for (int i = 0; i < b.size(); i++) {
          if (correct[i] >= 0 && ctx >= 2) {
            double others = 0;
            for (int p = 0; p < ctx; p++) {
              if (p != correct[i]) {
                others += a.at(l, h, i, q, 2 * p + 1);
              }
            }
            induction += a.at(l, h, i, q, 2 * correct[i] + 1) - others / (ctx - 1);
            withTarget++;
          }
        }
        if (withTarget > 0) {
          head.add(Measure.INDUCTION_STRENGTH, 0, 0, induction, withTarget);
        }
        double prevL = 0;
        double selfL = 0;
        for (int i = 0; i < b.size(); i++) {
          for (int p = 0; p < ctx; p++) {
            prevL += a.at(l, h, i, 2 * p + 1, 2 * p);
            selfL += a.at(l, h, i, 2 * p + 1, 2 * p + 1);
          }
        }
        head.add(Measure.PREV_TOKEN_AT_LABELS, 0, 0, prevL / ctx, b.size());
        head.add(Measure.SELF_AT_LABELS, 0, 0, selfL / ctx, b.size());
        double prevX = 0;
        double selfX = 0;
        for (int i = 0; i < b.size(); i++) {
          for (int p = 1; p <= ctx; p++) { // exemplar 1 can only attend to itself; p = ctx is the query
            prevX += a.at(l, h, i, 2 * p, 2 * p - 1);
            selfX += a.at(l, h, i, 2 * p, 2 * p);
          }
        }
        head.add(Measure.PREV_TOKEN_AT_EXEMPLARS, 0, 0, prevX / ctx, b.size());
        head.add(Measure.SELF_AT_EXEMPLARS, 0, 0, selfX / ctx, b.size());
      }
    }
    return out;
  }

  /** Collects one head's measures, turning sums into means and 0-based indices into 1-based. */
  private record Head(long seqs, Evaluator evaluator, int layer, int head, List<AttentionMeasure> out) {
    void add(Measure m, int keyToken, int correctLabelToken, double sum, int n) {
      out.add(new AttentionMeasure(seqs, evaluator, layer + 1, head + 1, m, keyToken, correctLabelToken, sum / n, n));
    }
  }
}
