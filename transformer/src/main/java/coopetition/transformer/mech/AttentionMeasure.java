package coopetition.transformer.mech;

import coopetition.transformer.eval.Evaluator;

/**
 * One attention measure of one head of one checkpoint, averaged over an evaluator's sequences. Layers,
 * heads and tokens are numbered from 1, as in the paper's figures (token 1 = first exemplar, token 2 its
 * label, ..., the last token = the query).
 *
 * @param seqs sequences seen by the checkpoint
 * @param evaluator whose sequences
 * @param layer 1-based layer
 * @param head 1-based head
 * @param measure what is measured
 * @param keyToken 1-based key token for {@link Measure#QUERY_ROW} and {@link Measure#QUERY_ROW_BY_CORRECT_LABEL}; 0 otherwise
 * @param correctLabelToken 1-based token holding the correct label, for {@link Measure#QUERY_ROW_BY_CORRECT_LABEL}; 0 otherwise
 * @param value the mean
 * @param sequences how many sequences the mean is over
 */
public record AttentionMeasure(long seqs, Evaluator evaluator, int layer, int head, Measure measure, int keyToken,
    int correctLabelToken, double value, int sequences) {

  /** What an {@link AttentionMeasure} measures; {@link #column()} is its name in attention.csv. */
  public enum Measure {
    /** Attention from the query token to {@code keyToken}. */
    QUERY_ROW("query_row"),
    /** The same, only over sequences whose correct label is at {@code correctLabelToken} (Fig 2a for CIWL). */
    QUERY_ROW_BY_CORRECT_LABEL("query_row_by_correct_label"),
    /**
     * Attention from the query to the label token after the first exemplar whose label is the target, minus
     * the mean over the other label tokens (Fig 3a: for ctx 2, tokens {@code 2c+2} and {@code 2(1−c)+2}, 1-based);
     * sequences without the target in context are left out.
     */
    INDUCTION_STRENGTH("induction_strength"),
    /** Label tokens' attention to their own exemplar (the previous token), mean over context pairs. */
    PREV_TOKEN_AT_LABELS("prev_token_at_labels"),
    /** Label tokens' attention to themselves. */
    SELF_AT_LABELS("self_at_labels"),
    /** Exemplar tokens' attention to the previous label token (exemplars 2.. and the query). */
    PREV_TOKEN_AT_EXEMPLARS("prev_token_at_exemplars"),
    /** Exemplar tokens' attention to themselves (exemplars 2.. and the query). */
    SELF_AT_EXEMPLARS("self_at_exemplars");

    private final String column;

    Measure(String column) {
      this.column = column;
    }

    public String column() {
      return column;
    }

    /** Looks up by attention.csv name or enum name; null if unknown. */
    public static Measure byColumn(String name) {
      for (Measure m : values()) {
        if (m.column.equalsIgnoreCase(name) || m.name().equalsIgnoreCase(name)) {
          return m;
        }
      }
      return null;
    }
  }
}
