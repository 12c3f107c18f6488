package coopetition.transformer.model;

import coopetition.common.UserInputException;

/**
 * One attention head, written {@code layer:head} (the authors' {@code l:h}, both from 0).
 *
 * @param layer block index
 * @param head head index within the block
 */
public record HeadRef(int layer, int head) {
  /** The field bad head lists are reported under. */
  public static final String FIELD = "heads";

  /** Parses {@code "l:h"} and checks it against the model's depth and head count. */
  public static HeadRef parse(String text, ModelConfig config) {
    String[] parts = text.trim().split(":", -1);
    int layer;
    int head;
    try {
      if (parts.length != 2) {
        throw new NumberFormatException();
      }
      layer = Integer.parseInt(parts[0].trim());
      head = Integer.parseInt(parts[1].trim());
    } catch (NumberFormatException e) {
      throw UserInputException.forField(FIELD, "'" + text + "' is not layer:head (e.g. 1:3)");
    }
    UserInputException.requireField(layer >= 0 && layer < config.depth() && head >= 0 && head < config.numHeads(),
        FIELD, "no head " + text + " in a model with " + config.depth() + " layers of " + config.numHeads()
            + " heads (layer 0.." + (config.depth() - 1) + ", head 0.." + (config.numHeads() - 1) + ")");
    return new HeadRef(layer, head);
  }

  @Override
  public String toString() {
    return layer + ":" + head;
  }
}
