package coopetition.transformer.config;

import coopetition.transformer.data.BankSpec;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.data.SamplerConfig;
import coopetition.transformer.data.Splits;
import coopetition.transformer.data.SyntheticBank;

/**
 * The data of a run: which feature bank, how it is split, and which sequences the model trains on.
 *
 * @param bank synthetic or a file
 * @param synthetic the synthetic bank's shape and seed (used only when {@code bank} is synthetic)
 * @param classSplit train,val,test class counts; null = every class trains
 * @param exemplarSplit train,val,test exemplar counts; null = every exemplar trains
 * @param trainData the training distribution (PAPER-SETUP §1.6)
 * @param contextLength context exemplar-label pairs before the query
 * @param burstiness context items of the query's class
 * @param mq match query and distractors
 * @param zipfAlpha training classes drawn with p ~ 1/rank^alpha (0 = uniform)
 */
public record DataConfig(BankSpec bank, SyntheticBank.Config synthetic, SplitCounts classSplit,
    SplitCounts exemplarSplit, TrainData trainData, int contextLength, int burstiness, boolean mq, double zipfAlpha) {

  /** Which sequences the model trains on (PAPER-SETUP §1.6). */
  public enum TrainData { MAIN, CIWL_ONLY, ICL_ONLY }

  public DataConfig {
    // Checks context_len, burstiness and zipf_alpha now, before any output exists.
    sampler(trainData, contextLength, burstiness, mq, zipfAlpha, Math.max(2, synthetic.classes()));
  }

  /** The training sequence distribution, for a bank with {@code trainClasses} training classes. */
  public SamplerConfig sampler(int trainClasses) {
    return sampler(trainData, contextLength, burstiness, mq, zipfAlpha, trainClasses);
  }

  private static SamplerConfig sampler(TrainData data, int contextLength, int burstiness, boolean mq, double zipfAlpha,
      int trainClasses) {
    SamplerConfig base = switch (data) {
      case MAIN -> SamplerConfig.bursty(contextLength, burstiness);
      case CIWL_ONLY -> SamplerConfig.ciwlOnly(contextLength);
      case ICL_ONLY -> SamplerConfig.iclOnly(contextLength, burstiness, trainClasses);
    };
    return base.withMatchQueryAndDistractors(mq).withZipfAlpha(zipfAlpha);
  }

  /** Opens the bank (a file bank is read here). */
  public FeatureBank openBank() {
    return bank.open(synthetic);
  }

  /** The splits of an open bank: the configured counts, checked against its shape, or everything training. */
  public Splits splits(FeatureBank opened) {
    if (classSplit == null && exemplarSplit == null) {
      return Splits.allTrain(opened);
    }
    int[] cs = classSplit == null ? new int[] {opened.numClasses(), 0, 0} : classSplit.toArray();
    int[] es = exemplarSplit == null ? new int[] {opened.numExemplars(), 0, 0} : exemplarSplit.toArray();
    return new Splits(cs, es).checkAgainst(opened);
  }

  public DataConfig withSynthetic(SyntheticBank.Config c) {
    return new DataConfig(bank, c, classSplit, exemplarSplit, trainData, contextLength, burstiness, mq, zipfAlpha);
  }

  public DataConfig withTrainData(TrainData d) {
    return new DataConfig(bank, synthetic, classSplit, exemplarSplit, d, contextLength, burstiness, mq, zipfAlpha);
  }

  public DataConfig withMq(boolean on) {
    return new DataConfig(bank, synthetic, classSplit, exemplarSplit, trainData, contextLength, burstiness, on, zipfAlpha);
  }
}
