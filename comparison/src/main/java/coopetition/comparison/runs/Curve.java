package coopetition.comparison.runs;

import java.util.Objects;

/**
 * One measured curve of a run: {@code y} against the number of training sequences seen {@code x}
 * (strictly increasing, finite), at least two points.
 */
public record Curve(String name, double[] x, double[] y) {
  public Curve {
    Objects.requireNonNull(name, "name");
    if (x.length != y.length) {
      throw new IllegalArgumentException("curve " + name + ": x has " + x.length + " points, y has " + y.length);
    }
    if (x.length < 2) {
      throw new IllegalArgumentException("curve " + name + " has " + x.length + " point(s); a fit needs at least 2");
    }
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
        throw new IllegalArgumentException("curve " + name + ": non-finite value at point " + i);
      }
      if (i > 0 && !(x[i] > x[i - 1])) {
        throw new IllegalArgumentException("curve " + name + ": x not increasing at point " + i);
      }
    }
  }

  public int size() {
    return x.length;
  }

  public double yMin() {
    double m = Double.POSITIVE_INFINITY;
    for (double v : y) {
      m = Math.min(m, v);
    }
    return m;
  }

  public double yMax() {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : y) {
      m = Math.max(m, v);
    }
    return m;
  }
}
