package coopetition.transformer.model;

import coopetition.common.UserInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * A named intermediate of a {@link Transformer} forward pass, named in the TransformerLens style. Shapes
 * use B batch, P pairs, T = 2P-1 tokens, H heads, hd head width, d residual width, C classes.
 *
 * <pre>
 * hook_embed_example            [B,P,d]  example embedding of every exemplar (the query's included)
 * hook_embed_label              [B,P,d]  label embedding of every pair (the query's is dropped later)
 * hook_embed_token              [B,T,d]  interleaved x1 l1 ... xq, before positions
 * hook_pos_embed                [T,d]    learned or sinusoidal positions (absent with rotary)
 * blocks.L.hook_resid_pre       [B,T,d]  residual stream entering block L (block 0: tokens + positions)
 * blocks.L.attn.hook_q / _k     [B,H,T,hd] queries, keys (after rotary, if any)
 * blocks.L.attn.hook_v          [B,H,T,hd] values (zero them to ablate a head, as the authors do)
 * blocks.L.attn.hook_scores     [B,H,T,T] scaled, causally masked scores before softmax (row = query)
 * blocks.L.attn.hook_pattern    [B,H,T,T] attention pattern after softmax
 * blocks.L.attn.hook_z          [B,H,T,hd] head outputs: pattern x values, before the output projection
 * blocks.L.hook_attn_out        [B,T,d]  attention output after projection, added to the stream
 * blocks.L.hook_resid_mid       [B,T,d]  stream after attention (only with an MLP)
 * blocks.L.hook_mlp_out         [B,T,d]  MLP output (only with an MLP)
 * blocks.L.hook_resid_post      [B,T,d]  residual stream leaving block L
 * ln_final.hook_normalized      [B,d] (query readout) or [B,P,d] (all exemplars)
 * hook_logits                   [B,C] or [B,P,C]
 * </pre>
 *
 * @param site what the tensor is
 * @param layer its block, or -1 for the sites outside the blocks
 */
public record HookPoint(Site site, int layer) {
  /** The field bad hook names are reported under. */
  public static final String FIELD = "hook";

  /** Kinds of intermediate; {@link #perLayer} ones exist once per block. */
  public enum Site {
    EMBED_EXAMPLE("hook_embed_example", false),
    EMBED_LABEL("hook_embed_label", false),
    EMBED_TOKEN("hook_embed_token", false),
    POS_EMBED("hook_pos_embed", false),
    RESID_PRE("hook_resid_pre", true),
    Q("attn.hook_q", true),
    K("attn.hook_k", true),
    V("attn.hook_v", true),
    SCORES("attn.hook_scores", true),
    PATTERN("attn.hook_pattern", true),
    Z("attn.hook_z", true),
    ATTN_OUT("hook_attn_out", true),
    RESID_MID("hook_resid_mid", true),
    MLP_OUT("hook_mlp_out", true),
    RESID_POST("hook_resid_post", true),
    LN_FINAL("ln_final.hook_normalized", false),
    LOGITS("hook_logits", false);

    final String suffix;
    final boolean perLayer;

    Site(String suffix, boolean perLayer) {
      this.suffix = suffix;
      this.perLayer = perLayer;
    }

    /** Per-head tensors [B,H,T,*]: head restrictions apply to axis 1, positions (query rows) to axis 2. */
    public boolean perHead() {
      return this == Q || this == K || this == V || this == SCORES || this == PATTERN || this == Z;
    }
  }

  public HookPoint {
    if (site.perLayer != (layer >= 0) || layer < -1) {
      throw new IllegalArgumentException(site + (site.perLayer ? " needs a layer" : " has no layer") + ": " + layer);
    }
  }

  public static HookPoint of(Site site) {
    return new HookPoint(site, -1);
  }

  public static HookPoint of(Site site, int layer) {
    return new HookPoint(site, layer);
  }

  public String name() {
    return site.perLayer ? "blocks." + layer + "." + site.suffix : site.suffix;
  }

  @Override
  public String toString() {
    return name();
  }

  /** Every hook point a forward pass of this model visits, in order. */
  public static List<HookPoint> all(ModelConfig config) {
    List<HookPoint> out = new ArrayList<>();
    for (Site s : Site.values()) { // the enum is in pass order
      if (!exists(s, config)) {
        continue;
      }
      if (!s.perLayer) {
        out.add(of(s));
      } else if (s == Site.RESID_PRE) { // every per-layer site, block by block
        for (int l = 0; l < config.depth(); l++) {
          for (Site inBlock : Site.values()) {
            if (inBlock.perLayer && exists(inBlock, config)) {
              out.add(of(inBlock, l));
            }
          }
        }
      }
    }
    return out;
  }

  private static boolean exists(Site s, ModelConfig config) {
    return switch (s) {
      case POS_EMBED -> config.positional() != PositionalEncoding.ROTARY;
      case RESID_MID, MLP_OUT -> config.mlpRatio() > 0;
      default -> true;
    };
  }

  /** Parses a name from the list above, checked against this model's layers and options. */
  public static HookPoint parse(String name, ModelConfig config) {
    for (HookPoint p : all(config)) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw UserInputException.forField(FIELD, "unknown hook point '" + name + "' for a " + config.depth()
        + "-layer model; use e.g. hook_embed_token, blocks.0.attn.hook_pattern, blocks." + (config.depth() - 1)
        + ".hook_resid_post, hook_logits (list in HookPoint)");
  }
}
