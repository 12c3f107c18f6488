package coopetition.transformer.eval;

import coopetition.transformer.data.SequenceBatch;

/** One evaluator's fixed sequences, drawn once per run and reused at every evaluation. */
public record EvalSet(Evaluator evaluator, SequenceBatch data) {
  public EvalSet {
    if (evaluator == null || data == null) {
      throw new IllegalArgumentException("evaluator and data are required");
    }
  }
}
