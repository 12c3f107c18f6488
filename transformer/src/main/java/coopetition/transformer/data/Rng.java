package coopetition.transformer.data;

/**
 * A tiny SplitMix64 generator. Used instead of {@link java.util.Random} because every stream here is
 * derived from a counter ({@code mix(seed, i)}), which makes sampling a pure function of the seed (resume
 * needs no generator state) and makes the synthetic bank's exemplars reproducible without storing them.
 * Not thread-safe; create one per stream (it is a single long).
 */
public final class Rng {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private long state;

  public Rng(long seed) {
    this.state = seed;
  }

  /** The SplitMix64 finaliser (Stafford variant 13): a bijective avalanche mix of 64 bits. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Derives an independent stream key from a key and a counter, e.g. {@code mix(trainSeed, step)}. */
  public static long mix(long key, long counter) {
    return mix(mix(key + GOLDEN) ^ (counter * GOLDEN + 0x632BE59BD9B4E019L));
  }

  public long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /** Uniform in {@code [0, bound)}; Lemire's multiply-shift with rejection, so exactly uniform. */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    long m = (nextLong() >>> 32) * bound;
    long low = m & 0xFFFFFFFFL;
    if (low < bound) {
      long threshold = (0x100000000L - bound) % bound;
      while (low < threshold) {
        m = (nextLong() >>> 32) * bound;
        low = m & 0xFFFFFFFFL;
      }
    }
    return (int) (m >>> 32);
  }

  /** Uniform in {@code [0, 1)} with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /**
   * Standard normal by Marsaglia's polar method. It needs only {@code StrictMath.log} and {@code sqrt}, so
   * the values are bit-identical on every JVM and machine (unlike {@code Math.sin/cos}).
   */
  public double nextGaussian() {
    // The pair's second value is discarded so the generator stays a single long; bulk users call
    // fillGaussian, which keeps both. Same draws as fillGaussian(n = 1).
    double[] one = new double[1];
    fillGaussian(one, 0, 1);
    return one[0];
  }

  /** Writes {@code n} standard normals to {@code dst[offset..]}, using both values of each polar pair. */
  public void fillGaussian(double[] dst, int offset, int n) {
    int i = 0;
    while (i < n) {
      double u;
      double v;
      double s;
      do {
        u = 2 * nextDouble() - 1;
        v = 2 * nextDouble() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s == 0);
      double f = Math.sqrt(-2 * StrictMath.log(s) / s);
      dst[offset + i++] = u * f;
      if (i < n) {
        dst[offset + i++] = v * f;
      }
    }
  }
}
