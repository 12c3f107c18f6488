package coopetition.app.toy;

import coopetition.figures.Palette;
import coopetition.figures.Panel;
import coopetition.figures.Series;
import coopetition.toymodel.Summary;
import coopetition.toymodel.ToyConfig;
import coopetition.toymodel.Trajectory;
import coopetition.toymodel.landmark.Landmark;
import java.awt.Color;

/** The paper's Fig. 5a panel for one trajectory: Loss, L1 + mu1 and L2 against time, transitions marked. */
public final class ToyFigures {
  /** Points per curve in a figure. */
  static final int MAX_POINTS = 1200;

  private ToyFigures() {}

  public static Panel lossPanel(ToyConfig config, Trajectory tr, Summary s, String solverName) {
    double tLast = tr.t()[tr.size() - 1];
    // After an early stop the curves are flat; show a margin after it, as the paper's 0..8000 does.
    double xEnd = tr.stoppedEarly() ? Math.min(tLast, niceCeil(1.25 * Math.max(tr.stopTime(), 1))) : tLast;
    // The y range ignores the first 2% (the fast initial drop), like the paper's ylim.
    double top = 0;
    for (int i = 0; i < tr.size(); i++) {
      if (tr.t()[i] >= 0.02 * xEnd && tr.t()[i] <= xEnd) {
        top = Math.max(top, Math.max(tr.loss()[i], Math.max(tr.l1()[i] + config.mu1(), tr.l2()[i])));
      }
    }
    // A figure needs ~1000 points per curve, not 16 001 (which make a 10 MB SVG); transitions span
    // hundreds of steps, so a uniform stride loses nothing visible.
    // Only the visible part is drawn: samples up to the first one at or beyond xEnd.
    int visible = 1;
    while (visible < tr.size() && tr.t()[visible - 1] < xEnd) {
      visible++;
    }
    int stride = Math.max(1, (visible + MAX_POINTS - 1) / MAX_POINTS);
    double[] x = thin(tr.t(), visible, stride);
    Panel.Builder b = Panel.builder(String.format("Toy model, seed %d (alpha %s, mu1 %s, %s)",
            config.seed(), fmt(config.alpha()), fmt(config.mu1()), solverName))
        .axes(solverName.startsWith("gd") ? "GD step x learning rate" : "time (= GD steps at lr 1)", "loss")
        .add(Series.line("Loss", x, thin(tr.loss(), visible, stride), Palette.TOTAL))
        .add(Series.line("Mechanism 1 loss L1", x, thin(tr.l1(), visible, stride), Palette.MECH1).withOffset(config.mu1()))
        .add(Series.line("Mechanism 2 loss L2", x, thin(tr.l2(), visible, stride), Palette.MECH2))
        .xRange(0, xEnd)
        .yRange(-0.01, top * 1.7 + 0.02); // headroom keeps the legend off the curves
    // Landmarks: a dashed line plus a dot on the curve it concerns, named in the legend.
    event(b, tr, s.tMech1Learned(), tr.l1(), config.mu1(), Landmark.MECH1_LEARNED.label(), Palette.MECH1);
    event(b, tr, s.tMech2Learned(), tr.l2(), 0, Landmark.MECH2_LEARNED.label(), Palette.MECH2);
    event(b, tr, s.tCross(), tr.l2(), 0, Landmark.CROSSING.label(), Palette.EVENT);
    event(b, tr, s.tMech1Lost(), tr.l1(), config.mu1(), Landmark.MECH1_LOST.label(), Palette.IWL);
    return b.build();
  }

  private static void event(Panel.Builder b, Trajectory tr, double t, double[] y, double offset,
      String label, Color color) {
    if (Double.isNaN(t)) {
      return;
    }
    b.marker(t, " ");
    double v = interpolate(tr.t(), y, t) + offset;
    b.add(Series.markers(String.format("%s (t = %.0f)", label, t), new double[] {t}, new double[] {v}, color));
  }

  static double interpolate(double[] t, double[] y, double at) {
    int i = java.util.Arrays.binarySearch(t, at);
    if (i >= 0) {
      return y[i];
    }
    int hi = -i - 1;
    if (hi == 0) {
      return y[0];
    }
    if (hi >= t.length) {
      return y[t.length - 1];
    }
    double w = (at - t[hi - 1]) / (t[hi] - t[hi - 1]);
    return y[hi - 1] + w * (y[hi] - y[hi - 1]);
  }

  /** 1, 2 or 5 times a power of ten, at least v. */
  static double niceCeil(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  /** Every stride-th of the first n values, always including the n-th. */
  static double[] thin(double[] y, int n, int stride) {
    int m = (n - 1) / stride + 1;
    boolean lastIncluded = (n - 1) % stride == 0;
    double[] out = new double[lastIncluded ? m : m + 1];
    for (int i = 0; i < m; i++) {
      out[i] = y[i * stride];
    }
    out[out.length - 1] = y[n - 1];
    return out;
  }

  static String fmt(double v) {
    String s = Double.toString(v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }
}
