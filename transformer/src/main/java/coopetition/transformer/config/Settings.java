package coopetition.transformer.config;

import coopetition.common.UserInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every configurable field of a training run as a flat {@code key=value} map: the language that preset
 * files, {@code --set} and the stored runs (config.json, checkpoints) speak. It only knows the keys;
 * {@link SettingsCodec} parses the values once into a {@link TrainConfig} and writes a config back, and
 * nothing else reads the strings.
 */
public final class Settings {

  /** One key: its default (the authors' main run where there is one) and what it means. */
  public record Key(String name, String defaultValue, String help) {}

  public static final List<Key> KEYS = List.of(
      new Key("bank", "synthetic", "feature bank: synthetic, or file:PATH.h5[#dataset] / file:PATH.npy [K, E, D]"),
      new Key("classes", "12800", "K: training classes of the synthetic bank (= output classes)"),
      new Key("exemplars", "20", "exemplars per class of the synthetic bank"),
      new Key("dim", "512", "feature width D of the synthetic bank"),
      new Key("eps", "0.1", "within-class noise of the synthetic bank, x = sqrt(D)(mu + eps*eta)/sqrt(1+eps^2)"),
      new Key("bank_seed", "0", "seed of the synthetic bank's centroids and exemplars"),
      new Key("class_split", "", "file banks: train,val,test class counts (empty = all classes train)"),
      new Key("exemplar_split", "", "file banks: train,val,test exemplar counts (empty = all exemplars train)"),
      new Key("train_data", "main", "training distribution: main, ciwl_only or icl_only"),
      new Key("context_len", "2", "context exemplar-label pairs before the query"),
      new Key("burstiness", "1", "context items of the query's class (main and icl_only)"),
      new Key("mq", "false", "match query and distractors: query = same exemplar as its in-context copy"),
      new Key("zipf_alpha", "0", "training classes drawn with p ~ 1/rank^alpha (0 = uniform)"),
      new Key("d_model", "64", "residual width"),
      new Key("heads", "8", "attention heads"),
      new Key("depth", "2", "transformer blocks"),
      new Key("max_seq_len", "32", "learned position slots"),
      new Key("positional", "learned", "positions: learned, sinusoidal or rotary"),
      new Key("sin_time", "30", "base of sinusoidal/rotary frequencies"),
      new Key("mlp_ratio", "0", "MLP hidden width / d_model; 0 = attention-only"),
      new Key("lr", "1e-5", "Adam learning rate (constant)"),
      new Key("beta1", "0.9", "Adam beta1"),
      new Key("beta2", "0.999", "Adam beta2"),
      new Key("adam_eps", "1e-8", "Adam epsilon"),
      new Key("weight_decay", "0", "weight decay strength"),
      new Key("weight_decay_mode", "penalty", "penalty (authors: wd*sum ||W||_F added to the loss) or decoupled (AdamW)"),
      new Key("batch", "32", "sequences per step"),
      new Key("train_seqs", "20000000", "sequences to train on"),
      new Key("eval_every", "100000", "sequences between evals"),
      new Key("eval_seqs", "5000", "eval sequences per evaluator"),
      new Key("ckpt_every", "1000000", "sequences between checkpoints (0 = only at the end and on Ctrl-C)"),
      new Key("ckpt_history", "true", "keep the weights at every scheduled checkpoint in RUN/checkpoints/ (for ./coop eval,"
          + " attention, graft)"),
      new Key("ckpt_at", "", "extra history checkpoints at these sequence counts, comma-separated (e.g. 1e5,2.5e5)"),
      new Key("ckpt_log", "0", "extra history checkpoints log-spaced, this many per decade of sequences (0 = none)"),
      new Key("donor", "", "frozen-donor training: a checkpoint (RUN/checkpoints/seqs_N.bin or checkpoint.bin) whose"
          + " donor_parts are copied in and kept frozen (Fig 4)"),
      new Key("donor_parts", "", "with donor: the frozen parts, any of embed, layer1..layerN, unembed (e.g. layer2,unembed)"),
      new Key("forbid", "", "training-time intervention: attention patterns a layer may not use, e.g. prev_token_l1"
          + " (no previous-token attention in Layer 1; the paper's rejected-hypothesis runs); empty = none"),
      new Key("init_seed", "5", "seed of the model initialisation"),
      new Key("train_seed", "2", "seed of the training batches"),
      new Key("eval_seed", "1", "seed of the eval sequences"),
      new Key("threads", "2", "libtorch intra-op threads (0 = library default)"),
      new Key("workers", "1", "1, or 2: each batch's two halves computed at once on two Java threads; with threads=1"
          + " the fastest setting when 2 CPU cores are free (docs/PERFORMANCE.md); same update up to float rounding"),
      new Key("device", "cpu", "cpu, gpu or auto (gpu when the engine sees one)"),
      new Key("kernels", "libtorch", "libtorch (its numbers bit for bit, as the reference runs), java: the"
          + " training step's attention core, loss and Adam in Java kernels (CPU only; faster, other float rounding;"
          + " docs/PERFORMANCE.md), or auto: java where it can serve the run (CPU, no forbid, no rotary positions,"
          + " even head width), else libtorch"));

  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  public static Settings defaults() {
    Map<String, String> m = new LinkedHashMap<>();
    for (Key k : KEYS) {
      m.put(k.name(), k.defaultValue());
    }
    return new Settings(m);
  }

  /** A copy with {@code key} set; unknown keys fail with one line naming close matches. */
  public Settings with(String key, String value) {
    String k = key.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    if (!values.containsKey(k)) {
      throw UserInputException.forField("set", "unknown setting '" + key + "'" + suggestions(k));
    }
    Map<String, String> m = new LinkedHashMap<>(values);
    m.put(k, value.trim());
    return new Settings(m);
  }

  public Settings withAll(Map<String, String> overrides) {
    Settings s = this;
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      s = s.with(e.getKey(), e.getValue());
    }
    return s;
  }

  /** Parses {@code key=value}. */
  public Settings withAssignment(String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw UserInputException.forField("set", "'" + assignment + "' is not key=value; e.g. lr=3e-4");
    }
    return with(assignment.substring(0, eq), assignment.substring(eq + 1));
  }

  /** The text of {@code key}; only {@link SettingsCodec} reads it. */
  String get(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no setting " + key);
    }
    return v;
  }

  /** The default text of {@code key}, for error messages. */
  static String defaultOf(String key) {
    for (Key k : KEYS) {
      if (k.name().equals(key)) {
        return k.defaultValue();
      }
    }
    throw new IllegalArgumentException("no setting " + key);
  }

  public Map<String, String> asMap() {
    return values;
  }

  /** Keys whose value differs from the default, for summaries. */
  public Map<String, String> changedFromDefaults() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Key k : KEYS) {
      if (!k.defaultValue().equals(values.get(k.name()))) {
        out.put(k.name(), values.get(k.name()));
      }
    }
    return out;
  }

  private static String suggestions(String key) {
    List<String> names = new ArrayList<>();
    for (Key k : KEYS) {
      names.add(k.name());
    }
    names.sort(Comparator.comparingInt(n -> distance(key, n)));
    List<String> close = new ArrayList<>();
    for (String n : names) {
      if (distance(key, n) <= Math.max(2, key.length() / 3) || n.contains(key) || (key.length() >= 3 && key.contains(n))) {
        close.add(n);
      }
      if (close.size() == 3) {
        break;
      }
    }
    return close.isEmpty() ? " (none of the " + KEYS.size() + " settings listed with the presets)"
        : "; did you mean " + String.join(", ", close) + "?";
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
