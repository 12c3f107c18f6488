package coopetition.transformer.sweep;

import java.util.Arrays;

/**
 * Median and range of one landmark over the seed sets of a grid point. {@code defined} counts the seeds
 * where the landmark happened (a crossing that never came is left out of median and range).
 */
public record SeedSpread(double median, double min, double max, int defined, int seeds) {

  public static SeedSpread of(double[] values) {
    double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (v.length == 0) {
      return new SeedSpread(Double.NaN, Double.NaN, Double.NaN, 0, values.length);
    }
    int n = v.length;
    double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return new SeedSpread(median, v[0], v[n - 1], n, values.length);
  }
}
