package coopetition.figures;

import java.awt.Color;
import java.util.Objects;

/**
 * One curve of a panel. {@code offset} is added to every y value (the paper plots L1 + mu1), and the
 * legend says so.
 */
public record Series(String name, double[] x, double[] y, Color color, Style style, double offset) {

  /**
   * How a series is drawn. BAND fills the polygon its points trace, in a light tint and without a legend
   * entry: a seed band is its upper edge left to right and then its lower edge back ({@link #band}).
   */
  public enum Style { LINE, DASHED, MARKERS, LINE_AND_MARKERS, BAND }

  public Series {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(color, "color");
    Objects.requireNonNull(style, "style");
    if (x.length != y.length) {
      throw new IllegalArgumentException("series " + name + ": x has " + x.length + " points, y has " + y.length);
    }
  }

  public static Series line(String name, double[] x, double[] y, Color color) {
    return new Series(name, x, y, color, Style.LINE, 0);
  }

  public static Series markers(String name, double[] x, double[] y, Color color) {
    return new Series(name, x, y, color, Style.MARKERS, 0);
  }

  /** The area between {@code lo} and {@code hi} over {@code x}, e.g. the range of a curve over seeds. */
  public static Series band(String name, double[] x, double[] lo, double[] hi, Color color) {
    int n = x.length;
    double[] bx = new double[2 * n];
    double[] by = new double[2 * n];
    for (int i = 0; i < n; i++) {
      bx[i] = x[i];
      by[i] = hi[i];
      bx[2 * n - 1 - i] = x[i];
      by[2 * n - 1 - i] = lo[i];
    }
    return new Series(name, bx, by, color, Style.BAND, 0);
  }

  public Series withStyle(Style s) {
    return new Series(name, x, y, color, s, offset);
  }

  public Series withOffset(double off) {
    return new Series(name, x, y, color, style, off);
  }

  /** y values with the offset applied, as drawn. */
  public double[] shiftedY() {
    double[] out = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      out[i] = y[i] + offset;
    }
    return out;
  }

  public String label() {
    if (offset == 0) {
      return name;
    }
    return name + (offset > 0 ? " + " : " - ") + trim(Math.abs(offset));
  }

  private static String trim(double v) {
    String s = Double.toString(v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }
}
