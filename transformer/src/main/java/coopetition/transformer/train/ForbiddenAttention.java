package coopetition.transformer.train;

import ai.djl.ndarray.types.Shape;
import coopetition.transformer.config.Forbid;
import coopetition.transformer.model.HookPoint;
import coopetition.transformer.model.Hooks;
import coopetition.transformer.model.Intervention;
import coopetition.transformer.model.ModelConfig;

/**
 * The {@link Hooks} that enforce a run's {@link Forbid} rules in every forward pass of training and of its
 * evals: the forbidden (query, key) scores get the causal mask's −1e20, so softmax gives them exactly 0
 * and no gradient flows through them. With no rules this is {@link Hooks#NONE}, the plain training path.
 */
public final class ForbiddenAttention {
  /** What the model subtracts from masked scores (Transformer.MASKED). */
  private static final float FORBIDDEN = -1e20f;

  private ForbiddenAttention() {}

  /** The hooks for sequences of {@code pairs} exemplar-label pairs. */
  public static Hooks of(Forbid forbid, ModelConfig config, int pairs) {
    Hooks hooks = Hooks.NONE;
    int t = ModelConfig.tokens(pairs);
    for (Forbid.Rule r : forbid.rules()) {
      float[] add = switch (r.pattern()) {
        case PREV_TOKEN -> previousToken(t);
      };
      // The mask is made in each pass's own manager: the pass's arrays are freed with it.
      hooks = hooks.override(HookPoint.of(HookPoint.Site.SCORES, r.layer() - 1), Intervention.map(
          scores -> scores.add(scores.getManager().create(add, new Shape(t, t)).toType(scores.getDataType(), false))));
    }
    return hooks;
  }

  /** {@link #FORBIDDEN} on each token's previous token (every row keeps itself). */
  static float[] previousToken(int tokens) {
    float[] m = new float[tokens * tokens];
    for (int i = 1; i < tokens; i++) {
      m[i * tokens + i - 1] = FORBIDDEN;
    }
    return m;
  }
}
