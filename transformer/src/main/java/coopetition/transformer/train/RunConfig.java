package coopetition.transformer.train;

import coopetition.common.UserInputException;
import coopetition.transformer.data.BankSpec;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.data.SamplerConfig;
import coopetition.transformer.data.SyntheticBank;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.model.PositionalEncoding;
import coopetition.transformer.runtime.Torch;
import java.util.Locale;

/**
 * A validated training run, parsed from {@link Settings}. The model's input width and class count
 * come from the feature bank, so {@link #model(FeatureBank, int)} completes the model config once the
 * bank is open.
 */
public record RunConfig(
    Settings settings,
    BankSpec bank,
    SyntheticBank.Config synthetic,
    String classSplit,
    String exemplarSplit,
    TrainData trainData,
    int contextLength,
    int burstiness,
    boolean mq,
    double zipfAlpha,
    Architecture architecture,
    AdamConfig adam,
    Schedule schedule,
    int evalSeqs,
    Seeds seeds,
    int threads,
    int workers,
    Torch.DeviceChoice device,
    CheckpointHistory.Plan history,
    FrozenDonor donor) {

  /** Which sequences the model trains on (PAPER-SETUP §1.6). */
  public enum TrainData { MAIN, CIWL_ONLY, ICL_ONLY }

  /** The model fields that do not depend on the data. */
  public record Architecture(int dModel, int heads, int depth, int maxSeqLen, PositionalEncoding positional,
      double sinTime, int mlpRatio) {}

  public static RunConfig from(Settings s) {
    int contextLength = integer(s, "context_len");
    int burstiness = integer(s, "burstiness");
    long trainSeqs = longValue(s, "train_seqs");
    int batch = integer(s, "batch");
    RunConfig c = new RunConfig(
        s,
        parseBank(s.get("bank")),
        new SyntheticBank.Config(integer(s, "classes"), integer(s, "exemplars"), integer(s, "dim"), number(s, "eps"),
            longValue(s, "bank_seed")),
        s.get("class_split"),
        s.get("exemplar_split"),
        enumValue(TrainData.class, s, "train_data"),
        contextLength,
        burstiness,
        bool(s, "mq"),
        number(s, "zipf_alpha"),
        new Architecture(integer(s, "d_model"), integer(s, "heads"), integer(s, "depth"), integer(s, "max_seq_len"),
            enumValue(PositionalEncoding.class, s, "positional"), number(s, "sin_time"), integer(s, "mlp_ratio")),
        new AdamConfig(number(s, "lr"), number(s, "beta1"), number(s, "beta2"), number(s, "adam_eps"),
            number(s, "weight_decay"), enumValue(AdamConfig.WeightDecay.class, s, "weight_decay_mode")),
        new Schedule(trainSeqs, batch, longValue(s, "eval_every"), longValue(s, "ckpt_every")),
        integer(s, "eval_seqs"),
        new Seeds(longValue(s, "init_seed"), longValue(s, "train_seed"), longValue(s, "eval_seed")),
        integer(s, "threads"),
        integer(s, "workers"),
        Torch.parseDevice(s.get("device")),
        CheckpointHistory.Plan.from(s),
        FrozenDonor.of(s, integer(s, "depth")));
    c.samplerConfig(c.synthetic.classes()); // validates the sampler fields now, before any output exists
    UserInputException.require(c.evalSeqs >= 1, "eval_seqs must be positive, got " + c.evalSeqs);
    UserInputException.require(c.threads >= 0, "threads must be >= 0 (0 = library default), got " + c.threads);
    // Two slices' gradients sum to the same bits in either order; three or more would not (determinism).
    UserInputException.require(c.workers == 1 || c.workers == 2, "workers must be 1 or 2, got " + c.workers);
    UserInputException.require(c.workers == 1 || batch >= 2, "workers=2 needs batch >= 2, got " + batch);
    UserInputException.require(ModelConfig.tokens(contextLength + 1) <= c.architecture.maxSeqLen()
        || c.architecture.positional() != PositionalEncoding.LEARNED,
        "context_len " + contextLength + " needs " + ModelConfig.tokens(contextLength + 1) + " positions but max_seq_len is "
            + c.architecture.maxSeqLen() + "; raise max_seq_len");
    return c;
  }

  /** The training sequence distribution, for a bank with {@code trainClasses} training classes. */
  public SamplerConfig samplerConfig(int trainClasses) {
    SamplerConfig base = switch (trainData) {
      case MAIN -> SamplerConfig.bursty(contextLength, burstiness);
      case CIWL_ONLY -> SamplerConfig.ciwlOnly(contextLength);
      case ICL_ONLY -> SamplerConfig.iclOnly(contextLength, burstiness, trainClasses);
    };
    return base.withMatchQueryAndDistractors(mq).withZipfAlpha(zipfAlpha);
  }

  /** The full model config once the bank's width and the number of output classes are known. */
  public ModelConfig model(FeatureBank bank, int outputClasses) {
    Architecture a = architecture;
    return new ModelConfig(bank.dim(), outputClasses, a.dModel(), a.heads(), a.depth(), a.maxSeqLen(), a.positional(),
        a.sinTime(), a.mlpRatio());
  }

  private static BankSpec parseBank(String v) {
    return BankSpec.parse(v);
  }

  private static String raw(Settings s, String key) {
    return s.get(key);
  }

  static int integer(Settings s, String key) {
    String v = raw(s, key).replace("_", "");
    try {
      double d = Double.parseDouble(v);
      if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return (int) d;
    } catch (NumberFormatException e) {
      throw new UserInputException("setting " + key + "=" + raw(s, key) + " is not an integer; e.g. --set " + key + "="
          + defaultOf(key));
    }
  }

  static long longValue(Settings s, String key) {
    String v = raw(s, key).replace("_", "");
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
      throw new UserInputException("setting " + key + "=" + raw(s, key) + " is not an integer; e.g. --set " + key + "="
          + defaultOf(key));
    }
  }

  static double number(Settings s, String key) {
    try {
      double d = Double.parseDouble(raw(s, key));
      if (!Double.isFinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new UserInputException("setting " + key + "=" + raw(s, key) + " is not a number; e.g. --set " + key + "="
          + defaultOf(key));
    }
  }

  static boolean bool(Settings s, String key) {
    String v = raw(s, key).toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new UserInputException("setting " + key + "=" + raw(s, key) + " is not true/false");
    };
  }

  static <E extends Enum<E>> E enumValue(Class<E> type, Settings s, String key) {
    String v = raw(s, key).trim().toUpperCase(Locale.ROOT).replace('-', '_');
    try {
      return Enum.valueOf(type, v);
    } catch (IllegalArgumentException e) {
      StringBuilder opts = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        opts.append(opts.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
      }
      throw new UserInputException("setting " + key + "=" + raw(s, key) + " is not one of " + opts);
    }
  }

  private static String defaultOf(String key) {
    for (Settings.Key k : Settings.KEYS) {
      if (k.name().equals(key)) {
        return k.defaultValue();
      }
    }
    return "?";
  }
}
