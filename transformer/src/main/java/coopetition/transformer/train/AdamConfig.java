package coopetition.transformer.train;

import coopetition.common.UserInputException;

/**
 * Adam hyper-parameters (optax defaults apart from the learning rate). Weight decay comes in two
 * flavours: {@link WeightDecay#PENALTY} is the authors' {@code weight_decay·Σ‖W‖_F} (unsquared) added to
 * the loss, {@link WeightDecay#DECOUPLED} is AdamW's {@code W -= lr·wd·W}.
 */
public record AdamConfig(double lr, double beta1, double beta2, double eps, double weightDecay, WeightDecay decay) {

  /** Where weight decay acts. */
  public enum WeightDecay { PENALTY, DECOUPLED }

  public AdamConfig {
    UserInputException.require(lr > 0 && Double.isFinite(lr), "lr must be positive, got " + lr);
    UserInputException.require(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
    UserInputException.require(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
    UserInputException.require(eps > 0, "eps must be positive, got " + eps);
    UserInputException.require(weightDecay >= 0, "weight_decay must be >= 0, got " + weightDecay);
    UserInputException.require(decay != null, "weight_decay_mode must be penalty or decoupled");
  }

  public static AdamConfig of(double lr) {
    return new AdamConfig(lr, 0.9, 0.999, 1e-8, 0, WeightDecay.PENALTY);
  }
}
