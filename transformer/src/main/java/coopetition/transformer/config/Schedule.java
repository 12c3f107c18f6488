package coopetition.transformer.config;

import static coopetition.common.UserInputException.requireField;

/**
 * When things happen, in sequences seen (the authors' counter, PAPER-SETUP §4). An event scheduled at
 * value s fires before the step at the first i ≥ s; there is always a final eval and checkpoint.
 *
 * @param trainSeqs sequences to train on
 * @param batch sequences per step
 * @param evalEvery spacing of scheduled evals (0, evalEvery, 2·evalEvery, ... < trainSeqs)
 * @param ckptEvery spacing of scheduled checkpoints (0 = only at the end and on interrupt)
 */
public record Schedule(long trainSeqs, int batch, long evalEvery, long ckptEvery) {

  public Schedule {
    requireField(batch >= 1, "batch", "must be at least 1, got " + batch);
    requireField(trainSeqs >= batch, "train_seqs", trainSeqs + " must be at least one batch (" + batch + ")");
    requireField(evalEvery >= 1, "eval_every", "must be positive, got " + evalEvery);
    requireField(ckptEvery >= 0, "ckpt_every", "must be >= 0 (0 = end and interrupt only), got " + ckptEvery);
  }

  public Schedule withTrainSeqs(long seqs) {
    return new Schedule(seqs, batch, evalEvery, ckptEvery);
  }

  public Schedule withBatch(int size) {
    return new Schedule(trainSeqs, size, evalEvery, ckptEvery);
  }

  public Schedule withEvalEvery(long seqs) {
    return new Schedule(trainSeqs, batch, seqs, ckptEvery);
  }

  public Schedule withCkptEvery(long seqs) {
    return new Schedule(trainSeqs, batch, evalEvery, seqs);
  }

  /** Training steps: the loop runs i = 0, batch, 2·batch, ... < trainSeqs. */
  public long steps() {
    return (trainSeqs + batch - 1) / batch;
  }

  /** Number of scheduled evals before the final one. */
  public long scheduledEvals() {
    return (trainSeqs + evalEvery - 1) / evalEvery;
  }

  /** The scheduled value of eval number {@code k} (0-based). */
  public long evalAt(long k) {
    return k * evalEvery;
  }

  public long checkpointAt(long k) {
    return k * ckptEvery;
  }

  public long scheduledCheckpoints() {
    return ckptEvery == 0 ? 0 : (trainSeqs + ckptEvery - 1) / ckptEvery;
  }
}
