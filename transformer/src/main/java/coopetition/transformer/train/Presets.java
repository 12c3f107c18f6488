package coopetition.transformer.train;

import coopetition.common.UserInputException;
import coopetition.transformer.train.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named starting points for {@code ./coop train --preset NAME}: each is a set of overrides of the
 * {@link Settings} defaults (which are the authors' main run), further adjustable with {@code --set}.
 */
public final class Presets {
  private Presets() {}

  /** A preset: what it is for and the settings it changes. */
  public record Preset(String name, String description, Map<String, String> overrides) {
    public Settings settings() {
      return Settings.defaults().withAll(overrides);
    }
  }

  /**
   * The CPU setting in which ICL emerges and then fades within minutes (2-layer model, synthetic bank).
   * One libtorch thread: at batch 32 the ops are too small for a second thread to pay for its wake-ups.
   */
  private static final Map<String, String> QUICK = ordered(
      "classes", "6144", "dim", "64", "eps", "0.1", "lr", "3e-4", "train_seqs", "3000000", "eval_every", "50000",
      "eval_seqs", "1000", "ckpt_every", "500000", "threads", "1");

  public static final List<Preset> ALL = List.of(
      new Preset("paper-main", "the authors' main run: 12 800 classes x 20 exemplars x 512-d (synthetic bank, or"
          + " --set bank=file:PATH), ctx 2, B 1, Adam 1e-5, batch 32, 20M sequences, eval every 100k on 5 000 per evaluator",
          ordered()),
      new Preset("quick", "CPU demo of emergence and transience: K=6144 synthetic 64-d classes, lr 3e-4, 3M sequences",
          QUICK),
      new Preset("mq", "match query and distractors (query = the very exemplar shown in context) at K=6144, eps 0.4,"
          + " where the normal run is transient (--preset mq --set mq=false: Flip 0.89 -> 0.02 by 2M) and mq keeps"
          + " ICL far longer (0.97 -> 0.67)", with(QUICK, "eps", "0.4", "mq", "true", "train_seqs", "2000000")),
      new Preset("ciwl-only", "quick on CIWL-only data (query class never in context; its label on a wrong exemplar)",
          with(QUICK, "train_data", "ciwl_only")),
      new Preset("icl-only", "quick on ICL-only data (labels a random pair per sequence)",
          with(QUICK, "train_data", "icl_only")),
      new Preset("weight-decay", "quick with the authors' weight-decay penalty wd*sum ||W||_F added to the loss",
          with(QUICK, "weight_decay", "1e-4", "weight_decay_mode", "penalty")),
      new Preset("weight-decay-adamw", "quick with decoupled AdamW weight decay",
          with(QUICK, "weight_decay", "0.1", "weight_decay_mode", "decoupled")));

  public static Preset byName(String name) {
    for (Preset p : ALL) {
      if (p.name().equalsIgnoreCase(name)) {
        return p;
      }
    }
    StringBuilder names = new StringBuilder();
    for (Preset p : ALL) {
      names.append(names.length() == 0 ? "" : ", ").append(p.name());
    }
    throw new UserInputException("unknown preset '" + name + "'; one of " + names + " (./coop train --list-presets)");
  }

  private static Map<String, String> ordered(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Map<String, String> with(Map<String, String> base, String... kv) {
    Map<String, String> m = new LinkedHashMap<>(base);
    m.putAll(ordered(kv));
    return m;
  }
}
