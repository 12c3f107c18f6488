package coopetition.comparison.forecast;

import coopetition.comparison.fit.ToyCurve;
import coopetition.comparison.report.FitFigures;
import coopetition.comparison.runs.Curve;
import coopetition.figures.FigureWriter;
import coopetition.figures.Palette;
import coopetition.figures.Panel;
import coopetition.figures.Series;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The forecast figure. Left: Flip as observed up to the forecast point (red), what the run did
 * afterwards where known (grey), and the forecast crossings of 0.5 and 0.2 with their intervals.
 * Right: the curves the toy was fitted to, the fit and its range over plausible fits carried into
 * the future, and the truth afterwards.
 */
public final class ForecastFigure {
  private ForecastFigure() {}

  public static List<Path> write(Forecast f, String runName, Path base) {
    double xEnd = f.bands().xs()[f.bands().xs().length - 1];
    String verdict = f.flipBelow05().happens() ? "" : "; toy: never < 0.5";
    Panel.Builder left = Panel.builder("Flip from " + seqs(f.upto()) + " (" + runName + verdict + ")")
        .axes("training sequences", "Flip in-context accuracy").xRange(0, xEnd).yRange(-0.05, 1.05)
        .legend(Panel.Legend.OUTSIDE);
    if (f.flip() != null) {
      split(left, f.flip(), f.upto(), "Flip", Palette.FLIP, Palette.CHANCE);
    }
    crossingLines(left, f.flipBelow05(), "forecast Flip < 0.5", Palette.EVENT, -0.05, 1.05);
    crossingLines(left, f.flipBelow02(), "forecast Flip < 0.2", Palette.IWL, -0.05, 1.05);
    for (Crossing c : new Crossing[] {f.baseline05(), f.baseline02()}) {
      if (c.happens()) {
        left.add(new Series(String.format(Locale.ROOT, "logit baseline: Flip %s at %s", c == f.baseline05() ? "0.5"
            : "0.2", seqs(c.estimate())), new double[] {c.estimate(), c.estimate()}, new double[] {-0.05, 1.05},
            Palette.COST, Series.Style.LINE, 0));
      }
    }
    left.horizontalLine(0.5, "Flip 0.5");
    left.add(new Series("Flip 0.2", new double[] {0, xEnd}, new double[] {0.2, 0.2}, Palette.CHANCE,
        Series.Style.DASHED, 0));
    upto(left, f.upto(), -0.05, 1.05);

    Panel.Builder right = Panel.builder("Toy fit up to " + seqs(f.upto()) + ", carried forward")
        .axes("training sequences", "run metric (its own units)").xRange(0, xEnd).legend(Panel.Legend.OUTSIDE);
    double yLo = Double.POSITIVE_INFINITY;
    double yHi = Double.NEGATIVE_INFINITY;
    for (int r = 0; r < f.bands().roles().size(); r++) {
      ToyCurve role = f.bands().roles().get(r);
      Color c = FitFigures.colour(role);
      Curve obs = f.observedCurves().get(r);
      split(right, obs, f.upto(), obs.name(), c, Palette.light(c));
      double[] xs = f.bands().xs();
      right.add(Series.line("toy fit → forecast (" + role.key() + ")", xs, f.bands().best().get(r), c));
      right.add(new Series("range over plausible fits (" + role.key() + ")", xs, f.bands().lo().get(r), c,
          Series.Style.DASHED, 0));
      right.add(new Series("range over plausible fits (" + role.key() + ", upper)", xs, f.bands().hi().get(r), c,
          Series.Style.DASHED, 0));
      for (double v : obs.y()) {
        yLo = Math.min(yLo, v);
        yHi = Math.max(yHi, v);
      }
    }
    double pad = 0.05 * (yHi - yLo);
    right.yRange(yLo - pad, yHi + pad);
    upto(right, f.upto(), yLo - pad, yHi + pad);
    return FigureWriter.writePanels(List.of(left.build(), right.build()), base, FigureWriter.PNG_SVG);
  }

  /** Observed up to the forecast point in colour, the truth afterwards in grey. */
  private static void split(Panel.Builder b, Curve c, double upto, String name, Color colour, Color later) {
    List<double[]> before = new ArrayList<>();
    List<double[]> after = new ArrayList<>();
    for (int i = 0; i < c.size(); i++) {
      (c.x()[i] <= upto ? before : after).add(new double[] {c.x()[i], c.y()[i]});
    }
    b.add(new Series(name + " observed (fitted)", col(before, 0), col(before, 1), colour, Series.Style.MARKERS, 0));
    if (!after.isEmpty()) {
      b.add(new Series(name + " afterwards (truth)", col(after, 0), col(after, 1), later,
          Series.Style.MARKERS, 0));
    }
  }

  private static void crossingLines(Panel.Builder b, Crossing c, String label, Color colour, double lo, double hi) {
    if (c.happens()) {
      b.add(new Series(String.format(Locale.ROOT, "%s at %s", label, seqs(c.estimate())),
          new double[] {c.estimate(), c.estimate()}, new double[] {lo, hi}, colour, Series.Style.LINE, 0));
    }
    if (Double.isFinite(c.lo())) {
      String range = String.format(Locale.ROOT, "  interval %s – %s", seqs(c.lo()),
          Double.isFinite(c.hi()) ? seqs(c.hi()) : "never");
      b.add(new Series(range, new double[] {c.lo(), c.lo()}, new double[] {lo, hi}, colour, Series.Style.DASHED, 0));
      if (Double.isFinite(c.hi())) {
        b.add(new Series(label + " interval end", new double[] {c.hi(), c.hi()}, new double[] {lo, hi}, colour,
            Series.Style.DASHED, 0));
      }
    }
  }

  private static void upto(Panel.Builder b, double x, double lo, double hi) {
    b.add(new Series("fit up to " + seqs(x), new double[] {x, x}, new double[] {lo, hi}, Color.BLACK,
        Series.Style.DASHED, 0));
  }

  private static double[] col(List<double[]> rows, int k) {
    double[] out = new double[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows.get(i)[k];
    }
    return out;
  }

  static String seqs(double v) {
    if (!Double.isFinite(v)) {
      return "never";
    }
    return Math.abs(v) >= 1e6 ? String.format(Locale.ROOT, "%.2fM", v / 1e6)
        : String.format(Locale.ROOT, "%.0fk", v / 1e3);
  }
}
