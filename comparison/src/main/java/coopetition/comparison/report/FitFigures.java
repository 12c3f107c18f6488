package coopetition.comparison.report;

import coopetition.comparison.fit.FitResult;
import coopetition.comparison.fit.FitResult.CurveFit;
import coopetition.comparison.fit.Observations;
import coopetition.comparison.fit.ToyCurve;
import coopetition.comparison.runs.Curve;
import coopetition.figures.FigureWriter;
import coopetition.figures.Palette;
import coopetition.figures.Panel;
import coopetition.figures.Series;
import coopetition.toymodel.Trajectory;
import coopetition.toymodel.landmark.Landmark;
import coopetition.toymodel.landmark.Landmarks;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The fit's two figures. Colours follow the paper: mechanism 1 and its ICL curve blue, mechanism 2
 * and its CIWL curve green, total and training loss black, whatever the user paired.
 */
public final class FitFigures {
  /** Most markers drawn per curve; a per-step training loss is thinned for readability. */
  private static final int MAX_MARKERS = 150;

  private FitFigures() {}

  public static Color colour(ToyCurve c) {
    return switch (c) {
      case MECH1 -> Palette.MECH1;
      case MECH2 -> Palette.MECH2;
      case TOTAL -> Palette.TOTAL;
    };
  }

  /** The toy's own symbol for a curve, as in the paper's Fig. 5a. */
  public static String toyName(ToyCurve c) {
    return switch (c) {
      case MECH1 -> "Mechanism 1 (L1)";
      case MECH2 -> "Mechanism 2 (L2)";
      case TOTAL -> "Total loss";
    };
  }

  /**
   * Transformer curves as markers, fitted toy curves (scale · toy + offset) as lines, on the
   * transformer's axis, with the toy's transitions mapped to sequences.
   *
   * @param fitted toy curves at {@code xs}, in {@link ToyCurve} order
   */
  public static List<Path> overlay(Observations obs, FitResult r, double[] xs, double[][] fitted, Landmarks events,
      String runName, Path base, Set<FigureWriter.Format> formats) {
    Panel.Builder b = Panel.builder("Toy model fitted to " + runName)
        .axes("training sequences", "run metric (its own units)");
    for (int k = 0; k < obs.roles().size(); k++) {
      ToyCurve role = obs.roles().get(k);
      Curve c = thin(obs.full().get(k));
      b.add(Series.markers(c.name() + " (run)", c.x(), c.y(), Palette.light(colour(role))));
    }
    for (int k = 0; k < obs.roles().size(); k++) {
      ToyCurve role = obs.roles().get(k);
      CurveFit f = r.curve(role);
      double[] y = new double[xs.length];
      for (int i = 0; i < xs.length; i++) {
        y[i] = f.mapped(fitted, i);
      }
      String cross = f.interference() == null ? "" : String.format(" %s %.3g·%s",
          f.interference().value() < 0 ? "−" : "+", Math.abs(f.interference().value()), symbol(f.interference().partner()));
      b.add(Series.line(String.format("fit: %.3g·%s%s %s %.3g", f.scale(), symbol(role), cross,
          f.offset() < 0 ? "−" : "+", Math.abs(f.offset())), xs, y, colour(role)));
    }
    List<double[]> ys = new ArrayList<>();
    obs.full().forEach(c -> ys.add(c.y()));
    double[] yr = yRange(ys, 0);
    // The legend (up to 8 entries) goes right of the plot, so it never hides a curve's late points.
    b.legend(Panel.Legend.OUTSIDE).yRange(yr[0], yr[1] + 0.05 * (yr[1] - yr[0]));
    eventLines(b, events, yr[0], yr[1]);
    return FigureWriter.write(b.build(), base, formats);
  }

  /**
   * Left: the toy model at the fitted parameters against toy time; right: the transformer run
   * against sequences. Same colour per mechanism, transitions annotated in both.
   */
  public static List<Path> sideBySide(Observations obs, Trajectory toy, Landmarks toyEvents, FitResult r,
      String runName, Path base, Set<FigureWriter.Format> formats) {
    Panel.Builder left = Panel.builder("Toy model (" + r.variant() + ")").axes("toy time (GD steps)", "loss");
    left.add(Series.line(toyName(ToyCurve.TOTAL), toy.t(), toy.loss(), colour(ToyCurve.TOTAL)));
    left.add(Series.line(toyName(ToyCurve.MECH1), toy.t(), toy.l1(), colour(ToyCurve.MECH1)));
    left.add(Series.line(toyName(ToyCurve.MECH2), toy.t(), toy.l2(), colour(ToyCurve.MECH2)));
    double tEnd = toy.t()[toy.size() - 1];
    // The first instants are the fast initial drop; the y range follows the rest so the plateau and
    // the transitions fill the panel.
    double[] yl = yRange(List.of(toy.loss(), toy.l1(), toy.l2()), 0.02);
    left.xRange(0, niceCeil(tEnd)).yRange(Math.min(-0.01, yl[0]), yl[1] * 1.1);
    eventLines(left, toyEvents, Math.min(-0.01, yl[0]), yl[1] * 1.1);
    Panel.Builder right = Panel.builder("Transformer (" + runName + ")").axes("training sequences",
        "run metric (its own units)");
    for (int k = 0; k < obs.roles().size(); k++) {
      ToyCurve role = obs.roles().get(k);
      Curve c = thin(obs.full().get(k));
      right.add(new Series(c.name() + " ↔ " + role.key(), c.x(), c.y(), colour(role), Series.Style.LINE_AND_MARKERS, 0));
    }
    List<double[]> ys = new ArrayList<>();
    obs.full().forEach(c -> ys.add(c.y()));
    double[] yr = yRange(ys, 0);
    right.yRange(yr[0], yr[1] + 0.5 * (yr[1] - yr[0]));
    eventLines(right, toyEvents.mapped(r.t0(), r.tau()), yr[0], yr[1]);
    return FigureWriter.writePanels(List.of(left.build(), right.build()), base, formats);
  }

  private static String symbol(ToyCurve c) {
    return switch (c) {
      case MECH1 -> "L1";
      case MECH2 -> "L2";
      case TOTAL -> "Loss";
    };
  }

  /**
   * The landmarks of the story as dashed vertical lines named in the legend (1 mechanism 1 learned,
   * 2 crossing, 3 mechanism 1 lost), each in its own colour so the legend tells them apart.
   */
  public static void eventLines(Panel.Builder b, Landmarks e, double yLo, double yHi) {
    line(b, e.mech1Learned(), "(1) " + Landmark.MECH1_LEARNED.label(), Palette.EVENT, yLo, yHi);
    line(b, e.cross(), "(2) " + Landmark.CROSSING.label(), Palette.COST, yLo, yHi);
    line(b, e.mech1Lost(), "(3) " + Landmark.MECH1_LOST.label(), Palette.IWL, yLo, yHi);
  }

  private static void line(Panel.Builder b, double x, String label, Color c, double yLo, double yHi) {
    if (Double.isFinite(x)) {
      b.add(new Series(String.format("%s at %s", label, compact(x)), new double[] {x, x}, new double[] {yLo, yHi}, c,
          Series.Style.DASHED, 0));
    }
  }

  /** 4.1M, 2,250: short numbers for legends. */
  static String compact(double v) {
    double a = Math.abs(v);
    if (a >= 1e9) {
      return String.format("%.3gG", v / 1e9);
    }
    if (a >= 1e6) {
      return String.format("%.3gM", v / 1e6);
    }
    if (a >= 1e4) {
      return String.format("%.3gk", v / 1e3);
    }
    return String.format("%.0f", v);
  }

  /** The y range of some curves from index {@code from} on, padded, for event lines and axis limits. */
  static double[] yRange(List<double[]> ys, double fromFraction) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] y : ys) {
      for (int i = (int) (fromFraction * y.length); i < y.length; i++) {
        lo = Math.min(lo, y[i]);
        hi = Math.max(hi, y[i]);
      }
    }
    double pad = 0.05 * (hi - lo);
    return new double[] {lo - pad, hi + pad};
  }

  /** A round number (1, 1.2, 1.5, 2, ... 8 times a power of ten) at least v: axis ends with round ticks. */
  static double niceCeil(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  /** At most MAX_MARKERS points, evenly spaced in index. */
  static Curve thin(Curve c) {
    if (c.size() <= MAX_MARKERS) {
      return c;
    }
    List<Integer> keep = new ArrayList<>();
    for (int j = 0; j < MAX_MARKERS; j++) {
      int i = (int) Math.round((double) j * (c.size() - 1) / (MAX_MARKERS - 1));
      if (keep.isEmpty() || keep.get(keep.size() - 1) != i) {
        keep.add(i);
      }
    }
    double[] x = new double[keep.size()];
    double[] y = new double[keep.size()];
    for (int j = 0; j < x.length; j++) {
      x[j] = c.x()[keep.get(j)];
      y[j] = c.y()[keep.get(j)];
    }
    return new Curve(c.name(), x, y);
  }
}
