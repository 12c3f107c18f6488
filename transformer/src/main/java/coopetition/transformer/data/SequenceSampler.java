package coopetition.transformer.data;

import coopetition.common.UserInputException;
import java.util.Arrays;

/**
 * Draws batches of sequences the way the authors' samplers do (samplers.py: class sequence
 * {@code get_constant_burst_seq_idxs}, exemplars {@code get_exemplar_inds}, then labels).
 *
 * <p>{@link #sample} is a pure function of its seed: sequence {@code i} of a batch uses its own stream
 * {@code mix(seed, i)}, so training can use {@code seed = mix(trainSeed, step)} and resume without any
 * generator state, and {@code sample(s, n)} is a prefix of {@code sample(s, m)} for n ≤ m. The random
 * streams differ from JAX's, so sequences match the authors' in distribution, not bit for bit.
 *
 * <p>Per sequence, with the class subset C and its distribution p (uniform, or Zipf by position in C):
 * <ol>
 *   <li>query class q ~ p;
 *   <li>if B > 0 and a distractor: d ~ p restricted to classes ≠ q;
 *   <li>L − B (− B) fillers: without replacement from classes ∉ {q, d} ({@code uniqueRest}), else i.i.d. from
 *       classes ∉ {q, d} ({@code noSupport}), else i.i.d. from all of C;
 *   <li>context = fillers, then B × q (BURSTY), then B × d (DISTRACTOR), shuffled when B > 0; the query last;
 *   <li>exemplars i.i.d. uniform over the exemplar subset per position, except with 'mq' one draw shared by
 *       all BURSTY items and the QUERY and one shared by all DISTRACTOR items;
 *   <li>labels = true class ids; then {@code assignQueryLabelRandom}; then the relabel scheme.
 * </ol>
 * Features are always gathered with the original class ids. Thread-safe (immutable).
 */
public final class SequenceSampler {
  private final FeatureBank bank;
  private final int[] classes;
  private final int[] exemplars;
  private final SamplerConfig config;
  /** Cumulative class distribution for Zipf; null when uniform. */
  private final double[] cdf;

  /**
   * @param classes the class ids sequences draw from (e.g. the train split); order = Zipf rank
   * @param exemplars the exemplar indices positions draw from (e.g. the train exemplar split)
   */
  public SequenceSampler(FeatureBank bank, int[] classes, int[] exemplars, SamplerConfig config) {
    this.bank = bank;
    this.config = config;
    this.classes = classes.clone();
    this.exemplars = exemplars.clone();
    UserInputException.require(this.exemplars.length >= 1, "the exemplar subset is empty; give at least one exemplar index");
    for (int c : this.classes) {
      UserInputException.require(c >= 0 && c < bank.numClasses(),
          "class " + c + " is outside " + bank.describe() + " (" + bank.numClasses() + " classes); fix the class split");
    }
    for (int e : this.exemplars) {
      UserInputException.require(e >= 0 && e < bank.numExemplars(),
          "exemplar " + e + " is outside " + bank.describe() + " (" + bank.numExemplars() + " per class); fix the exemplar split");
    }
    int[] sorted = this.classes.clone();
    Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      UserInputException.require(sorted[i] != sorted[i - 1], "class " + sorted[i] + " appears twice in the class subset; list each class once");
    }
    UserInputException.require(this.classes.length >= config.minClasses(),
        "the sampler needs at least " + config.minClasses() + " classes for " + config + " but has " + this.classes.length
            + "; use more classes or a shorter context");
    if (config.zipfAlpha() > 0) {
      cdf = new double[this.classes.length];
      double sum = 0;
      for (int k = 0; k < cdf.length; k++) {
        sum += Math.pow(k + 1, -config.zipfAlpha());
        cdf[k] = sum;
      }
      for (int k = 0; k < cdf.length; k++) {
        cdf[k] /= sum;
      }
      cdf[cdf.length - 1] = 1.0;
    } else {
      cdf = null;
    }
  }

  /** A sampler over the train classes and train exemplars of {@code splits} (checked against the bank). */
  public static SequenceSampler forTraining(FeatureBank bank, Splits splits, SamplerConfig config) {
    splits.checkAgainst(bank);
    return new SequenceSampler(bank, splits.classes(Splits.Part.TRAIN), splits.exemplars(Splits.Part.TRAIN), config);
  }

  public SamplerConfig config() {
    return config;
  }

  public FeatureBank bank() {
    return bank;
  }

  public int[] classes() {
    return classes.clone();
  }

  public int[] exemplars() {
    return exemplars.clone();
  }

  /** {@code n} sequences, a pure function of {@code seed}. */
  public SequenceBatch sample(long seed, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0: " + n);
    }
    int ctx = config.contextLength();
    int pairs = ctx + 1;
    int[] cls = new int[n * pairs];
    int[] ex = new int[n * pairs];
    int[] lab = new int[n * pairs];
    int[] types = new int[n * pairs];
    int[] scratch = new int[pairs];
    for (int i = 0; i < n; i++) {
      sampleOne(new Rng(Rng.mix(seed, i)), i * pairs, cls, ex, lab, types, scratch);
    }
    return SequenceBatch.gather(bank, n, pairs, lab, cls, ex, types);
  }

  private void sampleOne(Rng r, int base, int[] cls, int[] ex, int[] lab, int[] types, int[] picked) {
    int ctx = config.contextLength();
    int b = config.burstiness();
    boolean hasD = config.hasDistractor();
    // Class draws are positions in the subset; mapped to class ids at the end.
    int q = draw(r);
    int d = -1;
    if (hasD) {
      do {
        d = draw(r);
      } while (d == q);
    }
    int fillers = config.fillers();
    int pos = 0;
    for (int f = 0; f < fillers; f++) {
      int c;
      if (config.uniqueRest()) {
        boolean clash;
        do {
          c = draw(r);
          clash = c == q || c == d;
          for (int k = 0; k < f && !clash; k++) {
            clash = picked[k] == c;
          }
        } while (clash);
      } else if (config.noSupport()) {
        do {
          c = draw(r);
        } while (c == q || c == d);
      } else {
        c = draw(r);
      }
      picked[f] = c;
      cls[base + pos] = c;
      types[base + pos] = ItemType.OTHER;
      pos++;
    }
    for (int k = 0; k < b; k++, pos++) {
      cls[base + pos] = q;
      types[base + pos] = ItemType.BURSTY;
    }
    if (hasD) {
      for (int k = 0; k < b; k++, pos++) {
        cls[base + pos] = d;
        types[base + pos] = ItemType.DISTRACTOR;
      }
    }
    if (b > 0) {
      // Fisher-Yates over the context; classes and types move together.
      for (int k = ctx - 1; k > 0; k--) {
        int j = r.nextInt(k + 1);
        int tc = cls[base + k];
        cls[base + k] = cls[base + j];
        cls[base + j] = tc;
        int tt = types[base + k];
        types[base + k] = types[base + j];
        types[base + j] = tt;
      }
    }
    cls[base + ctx] = q;
    types[base + ctx] = ItemType.QUERY;
    for (int p = 0; p <= ctx; p++) {
      cls[base + p] = classes[cls[base + p]];
    }

    int nEx = exemplars.length;
    if (config.matchQueryAndDistractors()) {
      int shared = exemplars[r.nextInt(nEx)];
      int sharedD = exemplars[r.nextInt(nEx)];
      for (int p = 0; p <= ctx; p++) {
        int t = types[base + p];
        ex[base + p] = t == ItemType.BURSTY || t == ItemType.QUERY ? shared
            : t == ItemType.DISTRACTOR ? sharedD : exemplars[r.nextInt(nEx)];
      }
    } else {
      for (int p = 0; p <= ctx; p++) {
        ex[base + p] = exemplars[r.nextInt(nEx)];
      }
    }

    for (int p = 0; p <= ctx; p++) {
      lab[base + p] = cls[base + p];
    }
    if (config.assignQueryLabelRandom()) {
      lab[base + r.nextInt(ctx)] = lab[base + ctx];
    }
    switch (config.relabel()) {
      case NONE -> { }
      case FS_RELABEL, ZERO_ONE -> {
        int n = config.relabel() == SamplerConfig.Relabel.ZERO_ONE ? 2 : config.fsRelabelClasses();
        // A uniformly chosen ordered pair of distinct labels, as the authors' pair table then random order.
        int a = r.nextInt(n);
        int bl = r.nextInt(n - 1);
        if (bl >= a) {
          bl++;
        }
        relabel(base, lab, types, a, bl);
      }
      case FLIP -> relabel(base, lab, types, classes[d], classes[q]);
    }
  }

  /** BURSTY items and the QUERY get {@code bursty}; DISTRACTOR items get {@code distractor}; OTHER keep theirs. */
  private void relabel(int base, int[] lab, int[] types, int bursty, int distractor) {
    for (int p = 0; p <= config.contextLength(); p++) {
      int t = types[base + p];
      if (t == ItemType.BURSTY || t == ItemType.QUERY) {
        lab[base + p] = bursty;
      } else if (t == ItemType.DISTRACTOR) {
        lab[base + p] = distractor;
      }
    }
  }

  private int draw(Rng r) {
    if (cdf == null) {
      return r.nextInt(classes.length);
    }
    double u = r.nextDouble();
    int idx = Arrays.binarySearch(cdf, u);
    // binarySearch returns -(insertion point)-1 when absent: the first k with cdf[k] > u.
    return idx >= 0 ? Math.min(idx + 1, cdf.length - 1) : -idx - 1;
  }

  @Override
  public String toString() {
    return "SequenceSampler[" + config + ", classes=" + classes.length + ", exemplars=" + exemplars.length + ", bank="
        + bank.describe() + "]";
  }
}
