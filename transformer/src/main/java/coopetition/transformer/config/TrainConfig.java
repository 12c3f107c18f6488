package coopetition.transformer.config;

import static coopetition.common.UserInputException.requireField;

import coopetition.transformer.data.SamplerConfig;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.model.PositionalEncoding;
import java.util.Locale;

/**
 * A validated training run: every setting, parsed once (from {@code key=value} text by
 * {@link SettingsCodec}) into typed records. The model's input width and class count come from the
 * feature bank, so {@link #model} completes the model config once the bank is open.
 *
 * @param evalSeqs eval sequences per evaluator
 * @param forbid attention patterns forbidden during training (none by default)
 */
public record TrainConfig(DataConfig data, Architecture architecture, AdamConfig adam, Schedule schedule, int evalSeqs,
    Seeds seeds, Compute compute, History history, Donor donor, Forbid forbid) {

  public TrainConfig {
    requireField(donor.present() || donor.parts().isEmpty(), "donor_parts",
        "needs a donor checkpoint; set donor=RUN/checkpoints/seqs_N.bin");
    requireField(!donor.present() || !donor.parts().isEmpty(), "donor_parts",
        "is empty; name the frozen parts, e.g. layer2,unembed");
    forbid.check(architecture.depth());
    coopetition.transformer.model.ModelParts.parse(String.join(",", donor.parts()), architecture.depth(), "donor_parts");
    requireField(evalSeqs >= 1, "eval_seqs", "must be positive, got " + evalSeqs);
    requireField(compute.workers() == 1 || schedule.batch() >= 2, "workers", "2 needs batch >= 2, got " + schedule.batch());
    int tokens = ModelConfig.tokens(data.contextLength() + 1);
    requireField(tokens <= architecture.maxSeqLen() || architecture.positional() != PositionalEncoding.LEARNED,
        "max_seq_len", architecture.maxSeqLen() + " is too small: context_len " + data.contextLength() + " needs "
            + tokens + " positions; raise it");
  }

  /** Parses settings; every value is checked here, before any output exists. */
  public static TrainConfig from(Settings settings) {
    return SettingsCodec.parse(settings);
  }

  /** The defaults: the authors' main run. */
  public static TrainConfig defaults() {
    return from(Settings.defaults());
  }

  /** The settings that give this config back (config.json, checkpoints, --list-presets). */
  public Settings toSettings() {
    return SettingsCodec.format(this);
  }

  /** The training sequence distribution, for a bank with {@code trainClasses} training classes. */
  public SamplerConfig sampler(int trainClasses) {
    return data.sampler(trainClasses);
  }

  /** The full model config once the bank's width and the number of output classes are known. */
  public ModelConfig model(int inputDim, int outputClasses) {
    return architecture.model(inputDim, outputClasses);
  }

  /** A short figure title naming what distinguishes runs: K, eps, lr, data and seeds. */
  public String title() {
    String train = data.trainData() == DataConfig.TrainData.MAIN ? ""
        : ", " + data.trainData().name().toLowerCase(Locale.ROOT);
    return "Transformer, K=" + data.synthetic().classes() + ", eps " + SettingsCodec.text(data.synthetic().eps())
        + ", lr " + SettingsCodec.text(adam.lr()) + train + (data.mq() ? ", mq" : "") + ", seeds " + seeds.init() + "/"
        + seeds.train() + "/" + seeds.eval();
  }

  public TrainConfig withData(DataConfig d) {
    return new TrainConfig(d, architecture, adam, schedule, evalSeqs, seeds, compute, history, donor, forbid);
  }

  public TrainConfig withArchitecture(Architecture a) {
    return new TrainConfig(data, a, adam, schedule, evalSeqs, seeds, compute, history, donor, forbid);
  }

  public TrainConfig withAdam(AdamConfig a) {
    return new TrainConfig(data, architecture, a, schedule, evalSeqs, seeds, compute, history, donor, forbid);
  }

  public TrainConfig withSchedule(Schedule s) {
    return new TrainConfig(data, architecture, adam, s, evalSeqs, seeds, compute, history, donor, forbid);
  }

  public TrainConfig withEvalSeqs(int n) {
    return new TrainConfig(data, architecture, adam, schedule, n, seeds, compute, history, donor, forbid);
  }

  public TrainConfig withSeeds(Seeds s) {
    return new TrainConfig(data, architecture, adam, schedule, evalSeqs, s, compute, history, donor, forbid);
  }

  public TrainConfig withHistory(History h) {
    return new TrainConfig(data, architecture, adam, schedule, evalSeqs, seeds, compute, h, donor, forbid);
  }

  public TrainConfig withDonor(Donor d) {
    return new TrainConfig(data, architecture, adam, schedule, evalSeqs, seeds, compute, history, d, forbid);
  }

  public TrainConfig withForbid(Forbid f) {
    return new TrainConfig(data, architecture, adam, schedule, evalSeqs, seeds, compute, history, donor, f);
  }

  public TrainConfig withCompute(Compute c) {
    return new TrainConfig(data, architecture, adam, schedule, evalSeqs, seeds, c, history, donor, forbid);
  }
}
