package coopetition.transformer.model;

import coopetition.common.UserInputException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The parts of the model by the paper's names, for choosing whole parts of a parameter set (grafts,
 * frozen donors): {@code embed} (exemplar, label and position embeddings), {@code layer1}..{@code layerN}
 * (the blocks, numbered from 1 as in the paper) and {@code unembed} (final LayerNorm and unembedding).
 */
public final class ModelParts {
  public static final String EMBED = "embed";
  public static final String UNEMBED = "unembed";

  private ModelParts() {}

  /** The part a parameter of {@link Parameters} belongs to. */
  public static String partOf(String parameter) {
    if (parameter.startsWith("example_embed.") || parameter.startsWith("label_embed.") || parameter.startsWith("pos_embed.")) {
      return EMBED;
    }
    if (parameter.startsWith("ln_final.") || parameter.startsWith("unembed.")) {
      return UNEMBED;
    }
    if (parameter.startsWith("block")) {
      return layer(Integer.parseInt(parameter.substring("block".length(), parameter.indexOf('.'))) + 1);
    }
    throw new IllegalArgumentException("parameter " + parameter + " belongs to no model part; extend ModelParts.partOf");
  }

  /** The name of layer {@code oneBased} ("layer1" is the first block). */
  public static String layer(int oneBased) {
    return "layer" + oneBased;
  }

  /**
   * Parses a comma-separated list of parts for a model of {@code depth} layers; an unknown part is one line
   * naming {@code field} and the parts that exist.
   */
  public static Set<String> parse(String list, int depth, String field) {
    Set<String> out = new LinkedHashSet<>();
    for (String raw : list.split(",")) {
      String p = raw.trim().toLowerCase(Locale.ROOT);
      if (p.isEmpty()) {
        continue;
      }
      boolean known = p.equals(EMBED) || p.equals(UNEMBED);
      for (int l = 1; l <= depth && !known; l++) {
        known = p.equals(layer(l));
      }
      if (!known) {
        throw UserInputException.forField(field, "unknown model part '" + raw.trim() + "'; the parts are embed, layer1.."
            + "layer" + depth + " and unembed (e.g. layer2,unembed)");
      }
      out.add(p);
    }
    return out;
  }
}
