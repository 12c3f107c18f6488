package coopetition.transformer.config;

import static coopetition.common.UserInputException.requireField;

/**
 * Adam hyper-parameters (optax defaults apart from the learning rate). Weight decay comes in two
 * flavours: {@link WeightDecay#PENALTY} is the authors' {@code weight_decay·Σ‖W‖_F} (unsquared) added to
 * the loss, {@link WeightDecay#DECOUPLED} is AdamW's {@code W -= lr·wd·W}. Errors name the settings
 * ({@code lr}, {@code adam_eps} ...).
 */
public record AdamConfig(double lr, double beta1, double beta2, double eps, double weightDecay, WeightDecay decay) {

  /** Where weight decay acts. */
  public enum WeightDecay { PENALTY, DECOUPLED }

  public AdamConfig {
    requireField(lr > 0 && Double.isFinite(lr), "lr", "must be positive, got " + lr);
    requireField(beta1 >= 0 && beta1 < 1, "beta1", "must be in [0, 1), got " + beta1);
    requireField(beta2 >= 0 && beta2 < 1, "beta2", "must be in [0, 1), got " + beta2);
    requireField(eps > 0, "adam_eps", "must be positive, got " + eps);
    requireField(weightDecay >= 0, "weight_decay", "must be >= 0, got " + weightDecay);
    requireField(decay != null, "weight_decay_mode", "must be penalty or decoupled");
  }

  public static AdamConfig of(double lr) {
    return new AdamConfig(lr, 0.9, 0.999, 1e-8, 0, WeightDecay.PENALTY);
  }

  public AdamConfig withLr(double newLr) {
    return new AdamConfig(newLr, beta1, beta2, eps, weightDecay, decay);
  }

  public AdamConfig withWeightDecay(double strength, WeightDecay mode) {
    return new AdamConfig(lr, beta1, beta2, eps, strength, mode);
  }
}
