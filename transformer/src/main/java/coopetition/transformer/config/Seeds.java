package coopetition.transformer.config;

import coopetition.common.UserInputException;

/**
 * The authors' three seeds (PAPER-SETUP §4): model init, training data, eval data. They must differ
 * so that no stream of random numbers is reused.
 */
public record Seeds(long init, long train, long eval) {
  public Seeds {
    // Three settings share the problem, so the message names them all rather than one field.
    UserInputException.require(init != train && init != eval && train != eval,
        "init_seed, train_seed and eval_seed must all differ, got " + init + ", " + train + ", " + eval);
  }

  /** The authors' choice: init 5, train 2, eval 1. */
  public static Seeds paper() {
    return new Seeds(5, 2, 1);
  }

  public Seeds withInit(long seed) {
    return new Seeds(seed, train, eval);
  }

  public Seeds withTrain(long seed) {
    return new Seeds(init, seed, eval);
  }
}
