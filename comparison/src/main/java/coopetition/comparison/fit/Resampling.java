package coopetition.comparison.fit;

import coopetition.comparison.runs.Curve;
import java.util.Arrays;

/**
 * Thins a curve to about m points spread evenly in time (or log-time) by picking the measured point
 * closest to each grid value. Picking instead of interpolating keeps every residual a real
 * measurement, so the noise estimate and the covariance stay honest.
 */
public final class Resampling {
  private Resampling() {}

  public static Curve closest(Curve c, int m, boolean logTime) {
    int n = c.size();
    if (n <= m) {
      return c;
    }
    double[] x = c.x();
    double span = x[n - 1] - x[0];
    // log(x - x0 + s): defined at the first point even when it is 0 sequences.
    double s = Math.max(x[1] - x[0], span / 1000);
    double[] key = new double[n];
    for (int i = 0; i < n; i++) {
      key[i] = logTime ? Math.log(x[i] - x[0] + s) : x[i];
    }
    boolean[] take = new boolean[n];
    for (int j = 0; j < m; j++) {
      double g = key[0] + (key[n - 1] - key[0]) * j / (m - 1);
      int pos = Arrays.binarySearch(key, g);
      int idx;
      if (pos >= 0) {
        idx = pos;
      } else {
        int ins = -pos - 1;
        if (ins == 0) {
          idx = 0;
        } else if (ins >= n) {
          idx = n - 1;
        } else {
          idx = (g - key[ins - 1] <= key[ins] - g) ? ins - 1 : ins;
        }
      }
      take[idx] = true;
    }
    int k = 0;
    for (boolean b : take) {
      k += b ? 1 : 0;
    }
    double[] xs = new double[k];
    double[] ys = new double[k];
    int j = 0;
    for (int i = 0; i < n; i++) {
      if (take[i]) {
        xs[j] = x[i];
        ys[j] = c.y()[i];
        j++;
      }
    }
    return new Curve(c.name(), xs, ys);
  }
}
