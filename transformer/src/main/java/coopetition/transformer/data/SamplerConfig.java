package coopetition.transformer.data;

import coopetition.common.UserInputException;

/**
 * What sequences look like (PAPER-SETUP §1.3-1.5; samplers.py). Validated on construction.
 *
 * @param contextLength L, context pairs before the query
 * @param burstiness B, context items of the query's class (and, with a distractor, of the distractor class)
 * @param distractor add B items of a second class d ≠ q (needs 2B ≤ L)
 * @param noSupport fillers drawn i.i.d. from classes other than q and d
 * @param uniqueRest fillers drawn without replacement from classes other than q and d (wins over noSupport)
 * @param assignQueryLabelRandom overwrite a uniformly chosen context position's label with the query's label
 * @param relabel label scheme applied after {@code assignQueryLabelRandom}
 * @param fsRelabelClasses N for {@link Relabel#FS_RELABEL}: labels drawn from {@code 0..N-1}; 0 otherwise
 * @param matchQueryAndDistractors 'mq': one exemplar shared by all bursty items and the query, one by all distractors
 * @param zipfAlpha class distribution ∝ 1/rank^alpha over the class subset (0 = uniform)
 */
public record SamplerConfig(int contextLength, int burstiness, boolean distractor, boolean noSupport,
    boolean uniqueRest, boolean assignQueryLabelRandom, Relabel relabel, int fsRelabelClasses,
    boolean matchQueryAndDistractors, double zipfAlpha) {

  /** Label schemes (samplers.py:221-285). */
  public enum Relabel {
    /** Labels are the true class ids. */
    NONE,
    /** Random ordered pair (a, b) of distinct labels in 0..N-1: bursty+query get a, distractors b, OTHER keep theirs. */
    FS_RELABEL,
    /** Bursty items get the distractor's class id, distractors the query's; the target is the distractor's id. */
    FLIP,
    /** The authors' '01' eval scheme: FS_RELABEL with the single pair {0, 1} in random order. */
    ZERO_ONE
  }

  public SamplerConfig {
    // Errors name the training settings that hold these fields (context_len, burstiness, zipf_alpha).
    UserInputException.requireField(contextLength >= 1, "context_len", "must be >= 1, got " + contextLength);
    UserInputException.requireField(burstiness >= 0 && burstiness <= contextLength, "burstiness",
        burstiness + " must be in 0..context_len " + contextLength);
    UserInputException.requireField(!(distractor && burstiness > 0) || 2 * burstiness <= contextLength, "burstiness",
        burstiness + " with a distractor needs 2·B <= context_len " + contextLength + "; lower it or raise context_len");
    UserInputException.require(relabel != null, "relabel scheme missing; use NONE");
    UserInputException.require(relabel != Relabel.FLIP || (distractor && burstiness > 0),
        "flip relabelling needs burstiness >= 1 and a distractor");
    UserInputException.require(relabel != Relabel.FS_RELABEL || fsRelabelClasses >= 2,
        "fs_relabel needs at least 2 labels, got " + fsRelabelClasses);
    UserInputException.require(relabel == Relabel.FS_RELABEL || fsRelabelClasses == 0,
        "fsRelabelClasses is only meaningful with FS_RELABEL; set it to 0");
    UserInputException.requireField(Double.isFinite(zipfAlpha) && zipfAlpha >= 0, "zipf_alpha",
        "must be finite and >= 0, got " + zipfAlpha);
  }

  /** The main run's training distribution: L=2, B=1, distractor, true labels. */
  public static SamplerConfig main() {
    return bursty(2, 1);
  }

  /** B copies of q and B of a distractor plus L−2B i.i.d. fillers, true labels (the 12L run is {@code bursty(8, 3)}). */
  public static SamplerConfig bursty(int contextLength, int burstiness) {
    return new SamplerConfig(contextLength, burstiness, true, false, false, false, Relabel.NONE, 0, false, 0);
  }

  /** 'ciwl_only' training data: L distinct classes ≠ q, one random context label replaced by q's. */
  public static SamplerConfig ciwlOnly(int contextLength) {
    return new SamplerConfig(contextLength, 0, true, true, true, true, Relabel.NONE, 0, false, 0);
  }

  /** 'icl_only' training data: the bursty distribution with labels relabelled to a random pair of 0..N-1. */
  public static SamplerConfig iclOnly(int contextLength, int burstiness, int labels) {
    return bursty(contextLength, burstiness).withRelabel(Relabel.FS_RELABEL, labels);
  }

  public SamplerConfig withRelabel(Relabel scheme, int fsClasses) {
    return new SamplerConfig(contextLength, burstiness, distractor, noSupport, uniqueRest, assignQueryLabelRandom,
        scheme, fsClasses, matchQueryAndDistractors, zipfAlpha);
  }

  public SamplerConfig withMatchQueryAndDistractors(boolean mq) {
    return new SamplerConfig(contextLength, burstiness, distractor, noSupport, uniqueRest, assignQueryLabelRandom,
        relabel, fsRelabelClasses, mq, zipfAlpha);
  }

  public SamplerConfig withZipfAlpha(double alpha) {
    return new SamplerConfig(contextLength, burstiness, distractor, noSupport, uniqueRest, assignQueryLabelRandom,
        relabel, fsRelabelClasses, matchQueryAndDistractors, alpha);
  }

  /** Whether a distractor class is actually drawn (the flag is ignored when B = 0, as in samplers.py:84). */
  public boolean hasDistractor() {
    return distractor && burstiness > 0;
  }

  /** Filler (OTHER) items per sequence. */
  public int fillers() {
    return contextLength - burstiness - (hasDistractor() ? burstiness : 0);
  }

  /** Fewest classes the class subset must hold for this config to be satisfiable. */
  public int minClasses() {
    int fixed = 1 + (hasDistractor() ? 1 : 0);
    if (uniqueRest) {
      return fixed + fillers();
    }
    if (noSupport && fillers() > 0) {
      return fixed + 1;
    }
    return Math.max(fixed, 1);
  }
}
