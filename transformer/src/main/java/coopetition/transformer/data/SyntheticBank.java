package coopetition.transformer.data;

import coopetition.common.UserInputException;

/**
 * Gaussian-cluster stand-in for the authors' ResNet18 Omniglot features (which are not redistributable
 * here). Class centroids {@code mu_c ~ N(0, I/D)}; exemplar {@code x = sqrt(D)·(mu_c + eps·eta)/sqrt(1+eps²)}
 * with {@code eta ~ N(0, I/D)}, so {@code |x|² ≈ D}, the cosine between two exemplars of one class is
 * about {@code 1/(1+eps²)}, and between classes about 0.
 *
 * <p>Compact: only the K×D centroids are stored (exact normals, polar method). Each exemplar's noise is
 * regenerated on demand from a counter-based stream keyed by {@code (seed, class, exemplar)}, as 2^16-point
 * normal quantiles ({@link NormalTable}; indistinguishable from Gaussian for this purpose, and fast), so a
 * bank of 12 800 × 20 × 512 costs 26 MB
 * instead of 500 MB, yet every call returns bit-identical values. Banks small enough
 * ({@value #MATERIALISE_LIMIT} floats or fewer) are additionally materialised once for speed; the
 * values are the same either way.
 */
public final class SyntheticBank implements FeatureBank {

  /** Largest K·E·D that is materialised (64 MB of floats: 12 800 × 20 × 64 fits). */
  public static final long MATERIALISE_LIMIT = 1L << 24;

  /**
   * @param classes K
   * @param exemplars exemplars per class E
   * @param dim feature dimension D
   * @param eps within-class noise scale (0 = every exemplar equals its centroid)
   * @param seed determines every value
   */
  public record Config(int classes, int exemplars, int dim, double eps, long seed) {
    public Config {
      // Errors name the settings (classes, exemplars, dim, eps); the application maps them to its flags.
      UserInputException.requireField(classes >= 2, "classes", "the synthetic bank needs at least 2, got " + classes);
      UserInputException.requireField(exemplars >= 1, "exemplars", "the synthetic bank needs at least 1 per class, got "
          + exemplars);
      UserInputException.requireField(dim >= 1, "dim", "the synthetic bank needs dim >= 1, got " + dim);
      UserInputException.requireField(Double.isFinite(eps) && eps >= 0, "eps", "must be finite and >= 0, got " + eps
          + "; e.g. 0.5");
      UserInputException.requireField((long) classes * dim <= Integer.MAX_VALUE, "classes", "centroids K·D = "
          + ((long) classes * dim) + " exceed 2^31; lower classes or dim");
    }

    /** Paper scale (12 800 training classes × 20 exemplars) at the transformer's input dim 64. */
    public static Config paperScale(int dim, double eps, long seed) {
      return new Config(12_800, 20, dim, eps, seed);
    }
  }

  private final Config config;
  /** Centroids times sqrt(D), i.e. standard normal, [K·D]. */
  private final float[] centroids;
  private final float[] materialised;
  private final double scale;

  public SyntheticBank(Config config) {
    this(config, true);
  }

  /** {@code materialise = false} forces on-demand generation (tests and benchmarks compare the two). */
  SyntheticBank(Config config, boolean materialise) {
    this.config = config;
    int d = config.dim();
    this.scale = 1.0 / Math.sqrt(1 + config.eps() * config.eps());
    this.centroids = new float[config.classes() * d];
    double[] g = new double[d];
    for (int c = 0; c < config.classes(); c++) {
      new Rng(Rng.mix(config.seed(), centroidKey(c))).fillGaussian(g, 0, d);
      for (int j = 0; j < d; j++) {
        centroids[c * d + j] = (float) g[j];
      }
    }
    long total = (long) config.classes() * config.exemplars() * d;
    if (materialise && total <= MATERIALISE_LIMIT) {
      float[] all = new float[(int) total];
      for (int c = 0; c < config.classes(); c++) {
        for (int e = 0; e < config.exemplars(); e++) {
          generate(c, e, all, (c * config.exemplars() + e) * d);
        }
      }
      this.materialised = all;
    } else {
      this.materialised = null;
    }
  }

  /** Whether all exemplars are held in memory (banks of at most {@link #MATERIALISE_LIMIT} floats). */
  public boolean isMaterialised() {
    return materialised != null;
  }

  public Config config() {
    return config;
  }

  @Override
  public int numClasses() {
    return config.classes();
  }

  @Override
  public int numExemplars() {
    return config.exemplars();
  }

  @Override
  public int dim() {
    return config.dim();
  }

  @Override
  public void copyExemplar(int cls, int ex, float[] dst, int offset) {
    FeatureBank.checkIndex(this, cls, ex);
    int d = config.dim();
    if (materialised != null) {
      System.arraycopy(materialised, (cls * config.exemplars() + ex) * d, dst, offset, d);
    } else {
      generate(cls, ex, dst, offset);
    }
  }

  /** Centroid of class {@code cls} in the bank's units (|mu| ≈ 1 before the sqrt(D) scaling): copies D floats. */
  public void copyCentroid(int cls, float[] dst, int offset) {
    int d = config.dim();
    double s = 1.0 / Math.sqrt(d);
    for (int j = 0; j < d; j++) {
      dst[offset + j] = (float) (centroids[cls * d + j] * s);
    }
  }

  private void generate(int cls, int ex, float[] dst, int offset) {
    int d = config.dim();
    // x_j = sqrt(D)(mu_j + eps·eta_j)/sqrt(1+eps²) with mu_j = g_j/sqrt(D), eta_j = n_j/sqrt(D).
    // The noise is regenerated on every gather, hence the table-lookup normals (see NormalTable).
    // The noise is drawn straight into dst and combined in place: no allocation per gather.
    NormalTable.fill(new Rng(Rng.mix(config.seed(), exemplarKey(cls, ex))), dst, offset, d);
    double eps = config.eps();
    int base = cls * d;
    for (int j = 0; j < d; j++) {
      dst[offset + j] = (float) ((centroids[base + j] + eps * dst[offset + j]) * scale);
    }
  }

  private static long centroidKey(int cls) {
    return ((long) cls << 32) | 0xFFFFFFFFL;
  }

  private static long exemplarKey(int cls, int ex) {
    return ((long) cls << 32) | ex;
  }

  @Override
  public String describe() {
    return "synthetic(classes=" + config.classes() + ", exemplars=" + config.exemplars() + ", dim=" + config.dim()
        + ", eps=" + config.eps() + ", seed=" + config.seed() + ")";
  }

  @Override
  public long fingerprint() {
    // The config determines every value; hashing it avoids regenerating samples.
    long h = Rng.mix(0x5947L, config.classes());
    h = Rng.mix(h, config.exemplars());
    h = Rng.mix(h, config.dim());
    h = Rng.mix(h, Double.doubleToLongBits(config.eps()));
    return Rng.mix(h, config.seed());
  }

  @Override
  public String toString() {
    return describe();
  }
}
