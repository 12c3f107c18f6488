package coopetition.transformer.mech;

import coopetition.common.UserInputException;
import coopetition.transformer.model.ModelParts;
import coopetition.transformer.train.Weights;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A grafted network (PAPER-SETUP §5.2 graft-in/graft-out): the embeddings and the first
 * {@code splitAfterLayer} layers come from the early checkpoint; the later layers, the final LayerNorm and
 * the unembedding from the late one. Fig 3b is the early side swept over a history with the late side
 * fixed at the end of training; Fig 3c the other way round.
 *
 * <p>The split is decided per parameter name, so the two sides are whole parameter sets and a graft of a
 * checkpoint with itself is that checkpoint, bit for bit.
 *
 * @param splitAfterLayer how many layers come from the early side, 0 (embeddings only) .. depth (all but the
 *     final LayerNorm and unembedding)
 */
public record Graft(int splitAfterLayer) {

  /** Which checkpoint a parameter comes from. */
  public enum Side { EARLY, LATE }

  public Graft {
    UserInputException.requireField(splitAfterLayer >= 0, "split_after_layer",
        "must be a layer number >= 0 (the early side keeps the embeddings and layers 1..N), got " + splitAfterLayer);
  }

  /** Checks the split against a model of {@code depth} layers (an unknown layer is one clear line). */
  public Graft checkDepth(int depth) {
    UserInputException.requireField(splitAfterLayer <= depth, "split_after_layer", "layer " + splitAfterLayer
        + " does not exist: the model has " + depth + " layers; give 0.." + depth + " (1 = Layer 1 early, Layer 2 late)");
    return this;
  }

  /** The side parameter {@code name} comes from (names as in {@code Parameters}). */
  public Side sideOf(String name) {
    String part = ModelParts.partOf(name);
    if (part.equals(ModelParts.EMBED)) {
      return Side.EARLY;
    }
    if (part.equals(ModelParts.UNEMBED)) {
      return Side.LATE;
    }
    int layer = Integer.parseInt(part.substring("layer".length())); // 1-based
    return layer <= splitAfterLayer ? Side.EARLY : Side.LATE;
  }

  /**
   * The grafted weights (seqs and step are the late side's). Both sides must be of one model shape;
   * otherwise one line naming the first parameter that differs.
   */
  public Weights combine(Weights early, Weights late) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    Map<String, float[]> arrays = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : late.shapes().entrySet()) {
      String name = e.getKey();
      long[] other = early.shapes().get(name);
      if (other == null || !Arrays.equals(other, e.getValue())) {
        throw new UserInputException("cannot graft: the early checkpoint (" + early.seqs() + " seqs) has "
            + name + (other == null ? " missing" : " of shape " + Arrays.toString(other)) + " but the late one ("
            + late.seqs() + " seqs) has " + Arrays.toString(e.getValue()) + "; graft checkpoints of the same model settings");
      }
      shapes.put(name, e.getValue());
      arrays.put(name, sideOf(name) == Side.EARLY ? early.array(name) : late.array(name));
    }
    UserInputException.require(early.shapes().size() == late.shapes().size(), "cannot graft: the early checkpoint has "
        + early.shapes().size() + " parameters and the late one " + late.shapes().size() + "; graft checkpoints of the same model settings");
    return new Weights(late.seqs(), late.step(), late.settings(), shapes, arrays);
  }
}
