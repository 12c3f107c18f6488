package coopetition.transformer.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What replaces an activation at a {@link HookPoint}: a function of the clean value, optionally applied
 * only on some heads (per-head hook points) and/or some positions (tokens; the query rows of scores and
 * patterns). Outside the restriction the clean value passes through unchanged.
 *
 * @param fn the new value from the clean one; must keep its shape
 * @param heads heads it applies to (empty: all); only for per-head hook points
 * @param positions token positions it applies to (empty: all); not for the readout (ln_final, logits)
 */
public record Intervention(UnaryOperator<NDArray> fn, List<Integer> heads, List<Integer> positions) {
  public Intervention {
    if (fn == null) {
      throw new IllegalArgumentException("an intervention needs a function");
    }
    heads = List.copyOf(heads);
    positions = List.copyOf(positions);
  }

  /** A function of the clean value, everywhere. */
  public static Intervention map(UnaryOperator<NDArray> fn) {
    return new Intervention(fn, List.of(), List.of());
  }

  /** A fixed value (e.g. one cached from another pass), of the clean value's shape. */
  public static Intervention replace(NDArray value) {
    return map(clean -> value);
  }

  /** Zero (with {@code onHeads} on the values: the authors' head ablation). */
  public static Intervention zero() {
    return map(NDArray::zerosLike);
  }

  /** The clean value times {@code factor}. */
  public static Intervention scale(double factor) {
    return map(clean -> Scalars.times(clean, factor));
  }

  public Intervention onHeads(Integer... heads) {
    return new Intervention(fn, List.of(heads), positions);
  }

  public Intervention atPositions(Integer... positions) {
    return new Intervention(fn, heads, List.of(positions));
  }

  boolean restricted() {
    return !heads.isEmpty() || !positions.isEmpty();
  }
}
