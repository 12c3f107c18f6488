package coopetition.transformer.intervene;

import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.mech.AttentionMeasures;

/**
 * Per sequence, the token holding the correct label (the first context label equal to the query's target)
 * and the token holding an incorrect one (the first other context label), or −1 where there is none. Token
 * layout: exemplar of pair p at {@code 2p}, its label at {@code 2p+1}, the query last.
 *
 * @param correct correct-label token per sequence
 * @param incorrect incorrect-label token per sequence
 * @param query the query token (the last)
 */
public record LabelTokens(int[] correct, int[] incorrect, int query) {
  public static LabelTokens of(SequenceBatch b) {
    int n = b.size();
    int[] c = new int[n];
    int[] w = new int[n];
    for (int i = 0; i < n; i++) {
      int pair = AttentionMeasures.correctPair(b, i);
      c[i] = pair < 0 ? -1 : 2 * pair + 1;
      w[i] = -1;
      for (int p = 0; p < b.contextLength() && w[i] < 0; p++) {
        if (b.label(i, p) != b.target(i)) {
          w[i] = 2 * p + 1;
        }
      }
    }
    return new LabelTokens(c, w, 2 * b.contextLength());
  }

  int size() {
    return correct.length;
  }

  int tokens() {
    return query + 1;
  }
}
