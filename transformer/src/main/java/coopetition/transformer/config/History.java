package coopetition.transformer.config;

import static coopetition.common.UserInputException.requireField;

import java.util.List;

/**
 * What a run keeps of its checkpoint history (RUN/checkpoints/): the weights at every {@code ckpt_every},
 * at the listed points and at log-spaced points (see {@code train.CheckpointHistory}).
 *
 * @param keep {@code ckpt_history}: whether to keep one
 * @param at {@code ckpt_at}: extra points, in sequences
 * @param perDecade {@code ckpt_log}: log-spaced points per decade of sequences (0 = none)
 */
public record History(boolean keep, List<Long> at, int perDecade) {
  public History {
    at = List.copyOf(at);
    for (long v : at) {
      requireField(v >= 0, "ckpt_at", "sequence counts must be >= 0, got " + v);
    }
    requireField(perDecade >= 0, "ckpt_log", "must be >= 0 points per decade (0 = none), got " + perDecade);
  }
}
