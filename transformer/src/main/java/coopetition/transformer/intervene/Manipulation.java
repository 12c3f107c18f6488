package coopetition.transformer.intervene;

import static coopetition.common.UserInputException.requireField;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import coopetition.common.UserInputException;
import coopetition.transformer.model.HeadRef;
import coopetition.transformer.model.HookPoint;
import coopetition.transformer.model.HookPoint.Site;
import coopetition.transformer.model.Hooks;
import coopetition.transformer.model.Intervention;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.model.Scalars;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One of the paper's interventions on a forward pass, as overrides of {@link HookPoint}s. Each is a small
 * validated record; {@link #apply} adds its overrides to a {@link Hooks} for one batch of sequences (some
 * depend on where each sequence's correct label sits). Heads are {@code layer:head} from 0, as in
 * {@link HeadRef}; bad values name their field ({@code heads}, {@code delta}, {@code strength} ...).
 */
public sealed interface Manipulation {

  /** What a manipulation sees of one batch: the model, the sequences' label tokens, the clean pass's cache. */
  record Batch(ModelConfig config, LabelTokens tokens, java.util.Map<HookPoint, NDArray> clean) {}

  /** Adds this manipulation's overrides to {@code hooks}. */
  Hooks apply(Hooks hooks, Batch batch);

  /** The hook points it overrides (two parts of a {@link Combined} may not share one). */
  Set<HookPoint> points(ModelConfig config);

  /** The hook points whose clean values it needs ({@link Preserve}); empty for the others. */
  default Set<HookPoint> needsClean(ModelConfig config) {
    return Set.of();
  }

  /** Checks heads against the model: one line naming the field if one does not exist. */
  void check(ModelConfig config);

  /** A short name for tables and legends. */
  String label();

  /** No intervention: the clean network (the baseline row of every table). */
  record None() implements Manipulation {
    public Hooks apply(Hooks hooks, Batch batch) {
      return hooks;
    }

    public Set<HookPoint> points(ModelConfig config) {
      return Set.of();
    }

    public void check(ModelConfig config) {}

    public String label() {
      return "none";
    }
  }

  /**
   * Keep only {@code heads}: in every layer named by one of them, the other heads' values are zeroed (the
   * authors' ablation); layers not named are untouched.
   */
  record KeepOnlyHeads(List<HeadRef> heads) implements Manipulation {
    public KeepOnlyHeads {
      requireField(!heads.isEmpty(), HeadRef.FIELD, "names no head to keep; give e.g. 1:3");
      heads = List.copyOf(heads);
    }

    Set<Integer> layers() {
      Set<Integer> out = new LinkedHashSet<>();
      heads.forEach(h -> out.add(h.layer()));
      return out;
    }

    public Hooks apply(Hooks hooks, Batch batch) {
      for (int l : layers()) {
        List<Integer> ablated = new ArrayList<>();
        for (int h = 0; h < batch.config().numHeads(); h++) {
          if (!heads.contains(new HeadRef(l, h))) {
            ablated.add(h);
          }
        }
        if (!ablated.isEmpty()) {
          hooks = hooks.override(HookPoint.of(Site.V, l), Intervention.zero().onHeads(ablated.toArray(Integer[]::new)));
        }
      }
      return hooks;
    }

    public Set<HookPoint> points(ModelConfig config) {
      Set<HookPoint> out = new LinkedHashSet<>();
      layers().forEach(l -> out.add(HookPoint.of(Site.V, l)));
      return out;
    }

    public void check(ModelConfig config) {
      heads.forEach(h -> checkHead(h, config));
    }

    public String label() {
      return "keep_only " + String.join(" ", heads.stream().map(HeadRef::toString).toList());
    }
  }

  /** Which embedding {@link AblateEmbedding} zeroes. */
  enum Embedding {
    EXAMPLE(Site.EMBED_EXAMPLE), LABEL(Site.EMBED_LABEL);

    final Site site;

    Embedding(Site site) {
      this.site = site;
    }

    public static Embedding parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw UserInputException.forField("ablate", "'" + text + "' is not an embedding; use example or label");
      }
    }
  }

  /** Zeroes the example or the label embedding of every token (positions are still added). */
  record AblateEmbedding(Embedding embedding) implements Manipulation {
    public Hooks apply(Hooks hooks, Batch batch) {
      return hooks.override(HookPoint.of(embedding.site), Intervention.zero());
    }

    public Set<HookPoint> points(ModelConfig config) {
      return Set.of(HookPoint.of(embedding.site));
    }

    public void check(ModelConfig config) {}

    public String label() {
      return "ablate " + embedding.name().toLowerCase(Locale.ROOT) + " embedding";
    }
  }

  /**
   * Fig 2b: the query row of {@code head}'s pattern puts {@code (1+delta)/2} on the correct-label token and
   * {@code (1-delta)/2} on the incorrect one, nothing elsewhere, so delta is the attention difference
   * correct − incorrect. Sequences without both labels in context keep their clean row.
   */
  record ClampLabelDelta(HeadRef head, double delta) implements Manipulation {
    public ClampLabelDelta {
      requireField(delta >= -1 && delta <= 1, "delta", "must be in [-1, 1] (attention to correct minus incorrect label), got "
          + delta);
    }

    public Hooks apply(Hooks hooks, Batch batch) {
      LabelTokens t = batch.tokens();
      int n = t.size();
      int tokens = t.tokens();
      float[] row = new float[n * tokens];
      float[] keep = new float[n];
      for (int i = 0; i < n; i++) {
        if (t.correct()[i] < 0 || t.incorrect()[i] < 0) {
          keep[i] = 1;
        } else {
          row[i * tokens + t.correct()[i]] = (float) ((1 + delta) / 2);
          row[i * tokens + t.incorrect()[i]] = (float) ((1 - delta) / 2);
        }
      }
      return hooks.override(HookPoint.of(Site.PATTERN, head.layer()), queryRow(head, t, row, keep));
    }

    public Set<HookPoint> points(ModelConfig config) {
      return Set.of(HookPoint.of(Site.PATTERN, head.layer()));
    }

    public void check(ModelConfig config) {
      checkHead(head, config);
    }

    public String label() {
      return "clamp " + head + " delta " + delta;
    }
  }

  /**
   * The query row of {@code head}'s pattern becomes {@code keep[i]·clean + row[i]} per sequence i: the one
   * shape of override that clamping and the forced induction pattern share.
   */
  private static Intervention queryRow(HeadRef head, LabelTokens t, float[] row, float[] keep) {
    int n = t.size();
    int tokens = t.tokens();
    return Intervention.map(clean -> {
      NDArray r = clean.getManager().create(row, new Shape(n, 1, 1, tokens)).toType(clean.getDataType(), false);
      NDArray k = clean.getManager().create(keep, new Shape(n, 1, 1, 1)).toType(clean.getDataType(), false);
      return clean.mul(k).add(r);
    }).onHeads(head.head()).atPositions(t.query());
  }

  /** The patterns {@link ForcePattern} can impose. */
  enum Pattern {
    /** Every token attends to the one before it (the first to itself). */
    PREV_TOKEN,
    /** The query attends to the correct label's token (sequences without it keep their row). */
    INDUCTION;

    public static Pattern parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw UserInputException.forField("pattern", "'" + text + "' is not a pattern; use prev_token or induction");
      }
    }
  }

  /** {@code head}'s pattern becomes {@code (1 − strength)·clean + strength·forced}. */
  record ForcePattern(HeadRef head, Pattern pattern, double strength) implements Manipulation {
    public ForcePattern {
      requireField(strength >= 0 && strength <= 1, "strength", "must be in [0, 1], got " + strength);
    }

    public Hooks apply(Hooks hooks, Batch batch) {
      LabelTokens t = batch.tokens();
      int n = t.size();
      int tokens = t.tokens();
      HookPoint at = HookPoint.of(Site.PATTERN, head.layer());
      if (pattern == Pattern.PREV_TOKEN) {
        float[] forced = PatternArrays.previousToken(tokens);
        return hooks.override(at, Intervention.map(clean -> Scalars.times(clean, 1 - strength).add(Scalars.times(
            clean.getManager().create(forced, new Shape(tokens, tokens)).toType(clean.getDataType(), false), strength)))
            .onHeads(head.head()));
      }
      float[] row = new float[n * tokens];
      float[] keep = new float[n];
      for (int i = 0; i < n; i++) {
        if (t.correct()[i] < 0) {
          keep[i] = 1;
        } else {
          row[i * tokens + t.correct()[i]] = (float) strength;
          keep[i] = (float) (1 - strength);
        }
      }
      return hooks.override(at, queryRow(head, t, row, keep));
    }

    public Set<HookPoint> points(ModelConfig config) {
      return Set.of(HookPoint.of(Site.PATTERN, head.layer()));
    }

    public void check(ModelConfig config) {
      checkHead(head, config);
    }

    public String label() {
      return "force " + pattern.name().toLowerCase(Locale.ROOT) + " " + head + " strength " + strength;
    }
  }

  /** {@code head}'s scores divided by {@code temperature} before the softmax (>1 flatter, <1 sharper). */
  record RescaleTemperature(HeadRef head, double temperature) implements Manipulation {
    public RescaleTemperature {
      requireField(temperature > 0 && Double.isFinite(temperature), "temperature", "must be positive, got " + temperature);
    }

    public Hooks apply(Hooks hooks, Batch batch) {
      return hooks.override(HookPoint.of(Site.SCORES, head.layer()),
          Intervention.map(clean -> Scalars.times(clean, 1 / temperature)).onHeads(head.head()));
    }

    public Set<HookPoint> points(ModelConfig config) {
      return Set.of(HookPoint.of(Site.SCORES, head.layer()));
    }

    public void check(ModelConfig config) {
      checkHead(head, config);
    }

    public String label() {
      return "temperature " + head + " x" + temperature;
    }
  }

  /** What {@link Preserve} keeps from the clean pass. */
  enum Kept {
    PATTERNS(Site.PATTERN), VALUES(Site.V), QUERIES(Site.Q), KEYS(Site.K);

    final Site site;

    Kept(Site site) {
      this.site = site;
    }

    public static Kept parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw UserInputException.forField("preserve", "'" + text + "' is not one of patterns, values, queries, keys");
      }
    }
  }

  /**
   * {@code ablation} with {@code kept} (in every layer) replaced by their values in the clean, unablated pass:
   * e.g. ablate the label embedding but keep every attention pattern, so only what flows through the values
   * changes.
   */
  record Preserve(Manipulation ablation, Set<Kept> kept) implements Manipulation {
    public Preserve {
      requireField(!kept.isEmpty(), "preserve", "names nothing to preserve; use patterns, values, queries or keys");
      kept = Set.copyOf(kept);
    }

    public Hooks apply(Hooks hooks, Batch batch) {
      hooks = ablation.apply(hooks, batch);
      for (HookPoint p : needsClean(batch.config())) {
        hooks = hooks.override(p, Intervention.replace(batch.clean().get(p)));
      }
      return hooks;
    }

    public Set<HookPoint> needsClean(ModelConfig config) {
      Set<HookPoint> out = new LinkedHashSet<>();
      for (int l = 0; l < config.depth(); l++) {
        for (Kept k : Kept.values()) {
          if (kept.contains(k)) {
            out.add(HookPoint.of(k.site, l));
          }
        }
      }
      return out;
    }

    public Set<HookPoint> points(ModelConfig config) {
      Set<HookPoint> out = new LinkedHashSet<>(ablation.points(config));
      out.addAll(needsClean(config));
      return out;
    }

    public void check(ModelConfig config) {
      ablation.check(config);
      for (HookPoint p : ablation.points(config)) {
        requireField(!needsClean(config).contains(p), "preserve", "cannot keep " + p + " clean: that is what '"
            + ablation.label() + "' changes; preserve something else");
      }
    }

    public String label() {
      return ablation.label() + " preserving " + String.join("+", kept.stream().sorted()
          .map(k -> k.name().toLowerCase(Locale.ROOT)).toList());
    }
  }

  /** Several manipulations at once (e.g. Fig 2b: keep one head and clamp it); they may not share a hook point. */
  record Combined(List<Manipulation> parts) implements Manipulation {
    public Combined {
      parts = List.copyOf(parts);
    }

    public Hooks apply(Hooks hooks, Batch batch) {
      for (Manipulation m : parts) {
        hooks = m.apply(hooks, batch);
      }
      return hooks;
    }

    public Set<HookPoint> points(ModelConfig config) {
      Set<HookPoint> out = new LinkedHashSet<>();
      parts.forEach(m -> out.addAll(m.points(config)));
      return out;
    }

    public Set<HookPoint> needsClean(ModelConfig config) {
      Set<HookPoint> out = new LinkedHashSet<>();
      parts.forEach(m -> out.addAll(m.needsClean(config)));
      return out;
    }

    public void check(ModelConfig config) {
      Set<HookPoint> seen = new LinkedHashSet<>();
      for (Manipulation m : parts) {
        m.check(config);
        for (HookPoint p : m.points(config)) {
          requireField(seen.add(p), HookPoint.FIELD, "two manipulations change " + p + "; combine ones that touch"
              + " different hook points");
        }
      }
    }

    public String label() {
      return String.join(" + ", parts.stream().map(Manipulation::label).toList());
    }
  }

  private static void checkHead(HeadRef h, ModelConfig config) {
    HeadRef.parse(h.toString(), config); // the one-line message for a head the model lacks
  }
}
