package coopetition.comparison.report;

import coopetition.comparison.fit.FitParameter;
import coopetition.comparison.fit.FitResult;
import coopetition.comparison.fit.JointResult;
import coopetition.figures.FigureWriter;
import coopetition.figures.Palette;
import coopetition.figures.Panel;
import coopetition.figures.Series;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The joint fit's figure: each free toy parameter against the data knob (a number from the runs'
 * config.json, or the run's position in the list), one panel per parameter. A parameter fitted per
 * run is a vertical 95% interval with its estimate in the middle, one colour per run; a shared one
 * is a band over all runs with its estimate as a line.
 */
public final class JointFigure {
  private JointFigure() {}

  /**
   * @param x per run, the knob's value (or 1, 2, ... when there is no numeric knob)
   * @param xLabel the knob's name, or a key to the positions
   * @param params the toy model's parameters (for names and which are log-scaled)
   */
  public static List<Path> write(JointResult r, List<FitParameter> params, double[] x, String xLabel, Path base,
      Set<FigureWriter.Format> formats) {
    List<Panel> panels = new ArrayList<>();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    double pad = hi > lo ? 0.12 * (hi - lo) : 0.5;
    for (FitParameter p : params) {
      FitResult.Estimate first = r.perRun().get(0).estimate(p.name());
      if (first.fixed()) {
        continue;
      }
      boolean shared = r.shared().contains(p.name());
      // A log axis only where the values span two decades: XChart labels only powers of ten on a log axis.
      double ylo = Double.POSITIVE_INFINITY;
      double yhi = 0;
      for (FitResult f : r.perRun()) {
        ylo = Math.min(ylo, clip(f.estimate(p.name()).lower(), p));
        yhi = Math.max(yhi, clip(f.estimate(p.name()).upper(), p));
      }
      boolean logY = p.log() && yhi > 100 * ylo;
      Panel.Builder b = Panel.builder(p.name() + (shared ? " (shared by all runs)" : " (one per run)"))
          .axes(xLabel, p.name() + (logY ? " (log scale)" : "")).logY(logY).xRange(lo - pad, hi + pad);
      if (shared) {
        double[] bx = {lo - pad, hi + pad};
        b.add(Series.band("95% interval", bx, new double[] {clip(first.lower(), p), clip(first.lower(), p)},
            new double[] {clip(first.upper(), p), clip(first.upper(), p)}, Palette.categorical(0)));
        b.add(Series.line(label("shared", first), bx, new double[] {first.value(), first.value()},
            Palette.categorical(0)));
      } else {
        for (int k = 0; k < r.runs().size(); k++) {
          FitResult.Estimate e = r.perRun().get(k).estimate(p.name());
          b.add(new Series(label(r.runs().get(k), e), new double[] {x[k], x[k], x[k]},
              new double[] {clip(e.lower(), p), e.value(), clip(e.upper(), p)}, Palette.categorical(k),
              Series.Style.LINE_AND_MARKERS, 0));
        }
      }
      b.legend(Panel.Legend.OUTSIDE);
      panels.add(b.build());
    }
    return FigureWriter.writePanels(panels, base, formats);
  }

  /** An interval end outside what the axis can show (log axes need > 0) is drawn at the box edge. */
  private static double clip(double v, FitParameter p) {
    if (!Double.isFinite(v) || (p.log() && v <= 0)) {
      return v < 0 || v == Double.NEGATIVE_INFINITY ? p.lower() : p.upper();
    }
    return v;
  }

  private static String label(String who, FitResult.Estimate e) {
    return String.format(Locale.ROOT, "%s: %.3g [%.3g, %.3g]", who, e.value(), e.lower(), e.upper());
  }
}
