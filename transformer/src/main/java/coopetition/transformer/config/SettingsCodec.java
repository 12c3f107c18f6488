package coopetition.transformer.config;

import coopetition.common.UserInputException;
import coopetition.transformer.data.BankSpec;
import coopetition.transformer.data.SyntheticBank;
import coopetition.transformer.model.PositionalEncoding;
import coopetition.transformer.runtime.Torch;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one translation between {@link Settings} text and a {@link TrainConfig}: {@link #parse} reads every
 * key once, {@link #format} writes every field back, so {@code parse(format(c))} equals {@code c}
 * (tested for every key). A bad value is reported against its setting's name.
 */
public final class SettingsCodec {
  private SettingsCodec() {}

  public static TrainConfig parse(Settings s) {
    Values v = new Values(s);
    DataConfig data = new DataConfig(
        v.bank(),
        new SyntheticBank.Config(v.integer("classes"), v.integer("exemplars"), v.integer("dim"), v.number("eps"),
            v.longValue("bank_seed")),
        v.split("class_split"),
        v.split("exemplar_split"),
        v.choice(DataConfig.TrainData.class, "train_data"),
        v.integer("context_len"),
        v.integer("burstiness"),
        v.bool("mq"),
        v.number("zipf_alpha"));
    Architecture architecture = new Architecture(v.integer("d_model"), v.integer("heads"), v.integer("depth"),
        v.integer("max_seq_len"), v.choice(PositionalEncoding.class, "positional"), v.number("sin_time"),
        v.integer("mlp_ratio"));
    AdamConfig adam = new AdamConfig(v.number("lr"), v.number("beta1"), v.number("beta2"), v.number("adam_eps"),
        v.number("weight_decay"), v.choice(AdamConfig.WeightDecay.class, "weight_decay_mode"));
    Schedule schedule = new Schedule(v.longValue("train_seqs"), v.integer("batch"), v.longValue("eval_every"),
        v.longValue("ckpt_every"));
    Seeds seeds = new Seeds(v.longValue("init_seed"), v.longValue("train_seed"), v.longValue("eval_seed"));
    Compute compute = new Compute(v.integer("threads"), v.integer("workers"), v.choice(Torch.DeviceChoice.class, "device"),
        v.choice(Compute.Kernels.class, "kernels"));
    History history = new History(v.bool("ckpt_history"), longList(s.get("ckpt_at")), v.integer("ckpt_log"));
    Donor donor = new Donor(s.get("donor").trim(), words(s.get("donor_parts")));
    return new TrainConfig(data, architecture, adam, schedule, v.integer("eval_seqs"), seeds, compute, history, donor,
        Forbid.parse(s.get("forbid")));
  }

  public static Settings format(TrainConfig c) {
    Map<String, String> m = new LinkedHashMap<>();
    DataConfig d = c.data();
    m.put("bank", d.bank().toString());
    m.put("classes", text(d.synthetic().classes()));
    m.put("exemplars", text(d.synthetic().exemplars()));
    m.put("dim", text(d.synthetic().dim()));
    m.put("eps", text(d.synthetic().eps()));
    m.put("bank_seed", text(d.synthetic().seed()));
    m.put("class_split", d.classSplit() == null ? "" : d.classSplit().toString());
    m.put("exemplar_split", d.exemplarSplit() == null ? "" : d.exemplarSplit().toString());
    m.put("train_data", text(d.trainData()));
    m.put("context_len", text(d.contextLength()));
    m.put("burstiness", text(d.burstiness()));
    m.put("mq", Boolean.toString(d.mq()));
    m.put("zipf_alpha", text(d.zipfAlpha()));
    Architecture a = c.architecture();
    m.put("d_model", text(a.dModel()));
    m.put("heads", text(a.heads()));
    m.put("depth", text(a.depth()));
    m.put("max_seq_len", text(a.maxSeqLen()));
    m.put("positional", text(a.positional()));
    m.put("sin_time", text(a.sinTime()));
    m.put("mlp_ratio", text(a.mlpRatio()));
    AdamConfig o = c.adam();
    m.put("lr", text(o.lr()));
    m.put("beta1", text(o.beta1()));
    m.put("beta2", text(o.beta2()));
    m.put("adam_eps", text(o.eps()));
    m.put("weight_decay", text(o.weightDecay()));
    m.put("weight_decay_mode", text(o.decay()));
    Schedule s = c.schedule();
    m.put("batch", text(s.batch()));
    m.put("train_seqs", text(s.trainSeqs()));
    m.put("eval_every", text(s.evalEvery()));
    m.put("eval_seqs", text(c.evalSeqs()));
    m.put("ckpt_every", text(s.ckptEvery()));
    m.put("ckpt_history", Boolean.toString(c.history().keep()));
    m.put("ckpt_at", String.join(",", c.history().at().stream().map(v -> text((long) v)).toList()));
    m.put("ckpt_log", text(c.history().perDecade()));
    m.put("donor", c.donor().file());
    m.put("donor_parts", String.join(",", c.donor().parts()));
    m.put("forbid", c.forbid().text());
    m.put("init_seed", text(c.seeds().init()));
    m.put("train_seed", text(c.seeds().train()));
    m.put("eval_seed", text(c.seeds().eval()));
    m.put("threads", text(c.compute().threads()));
    m.put("workers", text(c.compute().workers()));
    m.put("device", text(c.compute().device()));
    m.put("kernels", text(c.compute().kernels()));
    return Settings.defaults().withAll(m);
  }

  /**
   * The config stored by a run (config.json, a checkpoint) as its settings; keys it lacks take today's
   * defaults (runs from before {@code workers} existed). {@code source} names the file for errors.
   */
  public static TrainConfig readStored(Map<String, String> stored, String source) {
    Settings s = Settings.defaults();
    for (Map.Entry<String, String> e : stored.entrySet()) {
      try {
        s = s.with(e.getKey(), e.getValue());
      } catch (UserInputException ex) {
        throw new UserInputException(source + " has setting " + e.getKey()
            + " that this version does not know; use the version that wrote it");
      }
    }
    return parse(s);
  }

  /** {@code ckpt_at}: comma-separated sequence counts (2e6 and 1_000_000 allowed), empty for none. */
  static java.util.List<Long> longList(String value) {
    java.util.List<Long> out = new java.util.ArrayList<>();
    for (String part : value.split(",")) {
      String p = part.trim().replace("_", "");
      if (p.isEmpty()) {
        continue;
      }
      try {
        double d = Double.parseDouble(p);
        if (d < 0 || d != Math.rint(d) || d > 9e15) {
          throw new NumberFormatException();
        }
        out.add((long) d);
      } catch (NumberFormatException e) {
        throw UserInputException.forField("ckpt_at", "'" + part.trim()
            + "' is not a whole number of sequences >= 0; e.g. ckpt_at=100000,250000,1e6");
      }
    }
    return out;
  }

  /** A comma-separated list of names, lower-cased, empty for none. */
  static java.util.List<String> words(String value) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return out;
  }

  /** Shortest plain text of a number: 30, 0.1, 3e-4 (as a user would type it). */
  public static String text(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    String s = Double.toString(v).replace(".0E", "E");
    return s.toLowerCase(Locale.ROOT);
  }

  private static String text(long v) {
    return Long.toString(v);
  }

  private static String text(Enum<?> v) {
    return v.name().toLowerCase(Locale.ROOT);
  }

  /** Reads one key at a time as a typed value; each error names the key and a valid example. */
  private record Values(Settings s) {

    BankSpec bank() {
      try {
        return BankSpec.parse(s.get("bank"));
      } catch (UserInputException e) {
        throw e.field().isPresent() ? e : UserInputException.forField("bank", e.getMessage());
      }
    }

    SplitCounts split(String key) {
      String v = s.get(key);
      return v.isBlank() ? null : SplitCounts.parse(v, key);
    }

    int integer(String key) {
      long v = longValue(key);
      if (Math.abs(v) > Integer.MAX_VALUE) {
        throw UserInputException.forField(key, s.get(key) + " is too large for an integer; e.g. " + Settings.defaultOf(key));
      }
      return (int) v;
    }

    long longValue(String key) {
      String v = s.get(key).replace("_", "");
      try {
        if (v.matches("-?\\d+")) {
          return Long.parseLong(v);
        }
        double d = Double.parseDouble(v); // allows 2e6
        if (d != Math.rint(d) || Math.abs(d) > 9e15) {
          throw new NumberFormatException();
        }
        return (long) d;
      } catch (NumberFormatException e) {
        throw UserInputException.forField(key, s.get(key) + " is not an integer; e.g. " + Settings.defaultOf(key));
      }
    }

    double number(String key) {
      try {
        double d = Double.parseDouble(s.get(key));
        if (!Double.isFinite(d)) {
          throw new NumberFormatException();
        }
        return d;
      } catch (NumberFormatException e) {
        throw UserInputException.forField(key, s.get(key) + " is not a number; e.g. " + Settings.defaultOf(key));
      }
    }

    boolean bool(String key) {
      return switch (s.get(key).toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on", "1" -> true;
        case "false", "no", "off", "0" -> false;
        default -> throw UserInputException.forField(key, s.get(key) + " is not true/false");
      };
    }

    <E extends Enum<E>> E choice(Class<E> type, String key) {
      String v = s.get(key).trim().toUpperCase(Locale.ROOT).replace('-', '_');
      try {
        return Enum.valueOf(type, v);
      } catch (IllegalArgumentException e) {
        StringBuilder opts = new StringBuilder();
        for (E c : type.getEnumConstants()) {
          opts.append(opts.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
        }
        throw UserInputException.forField(key, s.get(key) + " is not one of " + opts);
      }
    }
  }
}
