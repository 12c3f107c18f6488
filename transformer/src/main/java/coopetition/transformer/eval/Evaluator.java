package coopetition.transformer.eval;

import coopetition.transformer.data.SamplerConfig;
import coopetition.transformer.data.SamplerConfig.Relabel;

/**
 * The paper's evaluators (PAPER-SETUP §2.2 for context 2, §2.3 for context 8), each a sequence
 * distribution whose correct answer separates the strategies:
 * <ul>
 *   <li>{@link #TRAIN}: the training distribution; ICL and IWL agree.
 *   <li>{@link #ICL}: labels relabelled to {0, 1} in random order; only in-context learning works.
 *   <li>{@link #CIWL}: no query-class exemplar in context, but the query's label is attached to a wrong exemplar;
 *       context-constrained in-weights learning (copy the label that IWL predicts) works.
 *   <li>{@link #FLIP}: query-class item labelled with the distractor's id and vice versa; target = distractor id.
 *       In-context accuracy 1 = pure ICL, 0 = pure CIWL.
 *   <li>{@link #IWL}: the query's label is absent from the context; only in-weights learning works (use plain acc).
 * </ul>
 * The authors build eval sets without 'mq' and with uniform classes, whatever the training distribution.
 */
public enum Evaluator {
  TRAIN("train_eval", "train_eval"),
  ICL("icl", "icl"),
  CIWL("iwl_copy_avail", "ciwl"),
  FLIP("flip_icl", "flip"),
  IWL("pure_iwl", "iwl");

  private final String paperName;
  private final String columnPrefix;

  Evaluator(String paperName, String columnPrefix) {
    this.paperName = paperName;
    this.columnPrefix = columnPrefix;
  }

  /** The name in the authors' code and logs ({@code iwl_copy_avail}, {@code flip_icl}, ...). */
  public String paperName() {
    return paperName;
  }

  /** Prefix of this evaluator's metrics.csv columns ({@code ciwl_in_context_acc}, ...). */
  public String columnPrefix() {
    return columnPrefix;
  }

  /**
   * The context-2 definition (default_eval) for a model trained with context length 2 and burstiness 1:
   * same as {@code config(2, 1)}.
   */
  public SamplerConfig config() {
    return config(2, 1);
  }

  /**
   * The sequences for a model trained with context length {@code L} and burstiness {@code trainB}:
   * TRAIN uses B = trainB (the training distribution with true labels); ICL and FLIP use B = L/2 (for L = 8:
   * 4·q and 4·d, as in ctx8_eval); CIWL and IWL use B = 0 with L distinct filler classes ≠ q.
   * For L = 2 this is exactly the paper's default_eval, for L = 8, trainB = 3 the ctx8_eval set
   * (without its extra b2_train_eval).
   */
  public SamplerConfig config(int contextLength, int trainBurstiness) {
    int half = contextLength / 2;
    return switch (this) {
      case TRAIN -> SamplerConfig.bursty(contextLength, trainBurstiness);
      case ICL -> SamplerConfig.bursty(contextLength, half).withRelabel(Relabel.ZERO_ONE, 0);
      case FLIP -> SamplerConfig.bursty(contextLength, half).withRelabel(Relabel.FLIP, 0);
      case CIWL -> new SamplerConfig(contextLength, 0, true, true, true, true, Relabel.NONE, 0, false, 0);
      case IWL -> new SamplerConfig(contextLength, 0, true, true, true, false, Relabel.NONE, 0, false, 0);
    };
  }

  /** Looks up by paper name or column prefix (case-insensitive), e.g. "flip_icl" or "flip". */
  public static Evaluator byName(String name) {
    for (Evaluator e : values()) {
      if (e.paperName.equalsIgnoreCase(name) || e.columnPrefix.equalsIgnoreCase(name) || e.name().equalsIgnoreCase(name)) {
        return e;
      }
    }
    throw new coopetition.common.UserInputException("unknown evaluator '" + name
        + "'; use train_eval, icl, iwl_copy_avail (ciwl), flip_icl (flip) or pure_iwl (iwl)");
  }
}
