package coopetition.transformer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import coopetition.common.UserInputException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which {@link HookPoint}s of a forward pass to read (cache) and which to override. Immutable; build with
 * {@link #cache}, {@link #cacheAll} and {@link #override}. {@link #NONE} is the training path: each hook
 * point then hands its value straight back, with no NDArray op, copy or allocation.
 *
 * <p>The cache holds the pass's own arrays (no copy), in the manager of the inputs, after any override.
 */
public final class Hooks {
  public static final Hooks NONE = new Hooks(Set.of(), false, Map.of());

  private final Set<HookPoint> cached;
  private final boolean cacheAll;
  private final Map<HookPoint, Intervention> overrides;

  private Hooks(Set<HookPoint> cached, boolean cacheAll, Map<HookPoint, Intervention> overrides) {
    this.cached = cached;
    this.cacheAll = cacheAll;
    this.overrides = overrides;
  }

  /** Also reads these hook points. */
  public Hooks cache(HookPoint... points) {
    Set<HookPoint> c = new HashSet<>(cached);
    Collections.addAll(c, points);
    return new Hooks(Set.copyOf(c), cacheAll, overrides);
  }

  /** Reads every hook point. */
  public Hooks cacheAll() {
    return new Hooks(cached, true, overrides);
  }

  /** Replaces the value at {@code point} (a later override of the same point wins). */
  public Hooks override(HookPoint point, Intervention intervention) {
    Map<HookPoint, Intervention> o = new HashMap<>(overrides);
    o.put(point, intervention);
    return new Hooks(cached, cacheAll, Map.copyOf(o));
  }

  boolean inactive() {
    return !cacheAll && cached.isEmpty() && overrides.isEmpty();
  }

  /** Checks the hook points and head indices against a model before a pass. */
  void validate(ModelConfig config) {
    Set<HookPoint> valid = Set.copyOf(HookPoint.all(config));
    for (HookPoint p : cached) {
      requirePoint(valid, p, config);
    }
    overrides.forEach((p, iv) -> {
      requirePoint(valid, p, config);
      UserInputException.requireField(iv.heads().isEmpty() || p.site().perHead(), HeadRef.FIELD,
          p + " is not per head; restrict heads only on q, k, v, scores, pattern or z");
      for (int h : iv.heads()) {
        UserInputException.requireField(h >= 0 && h < config.numHeads(), HeadRef.FIELD, "no head " + p.layer() + ":"
            + h + " in a model with " + config.numHeads() + " heads (head 0.." + (config.numHeads() - 1) + ")");
      }
      UserInputException.requireField(iv.positions().isEmpty()
          || !EnumSet.of(HookPoint.Site.LN_FINAL, HookPoint.Site.LOGITS).contains(p.site()), "positions",
          p + " is read out per exemplar, not per token; restrict positions at an earlier hook point");
    });
  }

  private static void requirePoint(Set<HookPoint> valid, HookPoint p, ModelConfig config) {
    if (!valid.contains(p)) {
      HookPoint.parse(p.name(), config); // throws the one-line message
    }
  }

  /** The state of one forward pass: where the cache fills. */
  Pass open(ModelConfig config) {
    if (inactive()) {
      return Pass.PASSTHROUGH;
    }
    validate(config);
    return new Pass(this);
  }

  /** One forward pass's view of the hooks. */
  static class Pass {
    static final Pass PASSTHROUGH = new Pass(null);

    private final Hooks hooks;
    private final Map<HookPoint, NDArray> cache = new LinkedHashMap<>();

    private Pass(Hooks hooks) {
      this.hooks = hooks;
    }

    NDArray at(HookPoint.Site site, NDArray value) {
      return at(site, -1, value);
    }

    /** The value the pass goes on with at this hook point. */
    NDArray at(HookPoint.Site site, int layer, NDArray value) {
      if (hooks == null) {
        return value;
      }
      HookPoint point = new HookPoint(site, layer);
      Intervention iv = hooks.overrides.get(point);
      NDArray out = iv == null ? value : apply(point, iv, value);
      if (hooks.cacheAll || hooks.cached.contains(point)) {
        cache.put(point, out);
      }
      return out;
    }

    Map<HookPoint, NDArray> cache() {
      return hooks == null ? Map.of() : Collections.unmodifiableMap(cache);
    }

    private static NDArray apply(HookPoint point, Intervention iv, NDArray clean) {
      NDArray repl = iv.fn().apply(clean);
      if (!repl.getShape().equals(clean.getShape())) {
        throw UserInputException.forField(HookPoint.FIELD, point + " holds " + clean.getShape()
            + " here but the override gave " + repl.getShape() + " (a checkpoint or batch of another shape?)");
      }
      if (!iv.restricted()) {
        return repl;
      }
      return NDArrays.where(mask(point, iv, clean.getShape(), clean), repl, clean);
    }

    /** Boolean mask broadcastable to {@code shape}: true on the chosen heads and positions. */
    private static NDArray mask(HookPoint point, Intervention iv, Shape shape, NDArray like) {
      int rank = shape.dimension();
      boolean perHead = point.site().perHead();
      int headAxis = perHead ? 1 : -1;
      int posAxis = perHead ? 2 : rank - 2;
      long[] dims = new long[rank];
      java.util.Arrays.fill(dims, 1);
      if (headAxis >= 0) {
        dims[headAxis] = shape.get(headAxis);
      }
      dims[posAxis] = shape.get(posAxis);
      long nh = headAxis >= 0 ? shape.get(headAxis) : 1;
      long np = shape.get(posAxis);
      for (int pos : iv.positions()) {
        UserInputException.requireField(pos >= 0 && pos < np, "positions",
            "position " + pos + " is outside 0.." + (np - 1) + " at " + point);
      }
      boolean[] m = new boolean[(int) (nh * np)];
      for (int h = 0; h < nh; h++) {
        for (int p = 0; p < np; p++) {
          m[(int) (h * np + p)] = (iv.heads().isEmpty() || iv.heads().contains(h))
              && (iv.positions().isEmpty() || iv.positions().contains(p));
        }
      }
      NDArray mask = like.getManager().create(m, new Shape(dims));
      // DJL's where does not broadcast its condition.
      return (mask.getDataType() == DataType.BOOLEAN ? mask : mask.toType(DataType.BOOLEAN, false)).broadcast(shape);
    }
  }
}
