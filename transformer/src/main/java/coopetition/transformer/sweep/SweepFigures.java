package coopetition.transformer.sweep;

import coopetition.figures.FigureWriter;
import coopetition.figures.Palette;
import coopetition.figures.Panel;
import coopetition.figures.Series;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep's figures: {@code curves}: Flip, CIWL and pure-IWL curves, one colour per grid point, the median
 * over seed sets drawn as a line and their range as a band; {@code landmarks}: when Flip peaks and falls
 * below 0.5 and 0.2, and the final accuracies, against the first swept setting (one series per value of
 * the other settings), median with the seed range as a band.
 */
public final class SweepFigures {
  private SweepFigures() {}

  private static final String[][] CURVES = {
      {"flip_in_context_acc", "Flip (1 = ICL, 0 = CIWL)", "in-context accuracy"},
      {"ciwl_in_context_acc", "CIWL", "in-context accuracy"},
      {"iwl_acc", "pure IWL (label not in context)", "accuracy"}};

  public static List<Path> write(SweepSummary summary, List<GridAxis> axes, Path dir, Set<FigureWriter.Format> formats) {
    List<Path> out = new ArrayList<>(curves(summary, dir.resolve("curves"), formats));
    if (!axes.isEmpty()) {
      out.addAll(landmarks(summary, axes, dir.resolve("landmarks"), formats));
    }
    return out;
  }

  static List<Path> curves(SweepSummary summary, Path base, Set<FigureWriter.Format> formats) {
    List<Panel> panels = new ArrayList<>();
    for (String[] spec : CURVES) {
      boolean last = spec == CURVES[CURVES.length - 1];
      Panel.Builder p = Panel.builder(spec[1]).axes("sequences seen", spec[2]).yRange(-0.02, 1.02)
          .legend(last ? Panel.Legend.OUTSIDE : Panel.Legend.NONE);
      int colour = 0;
      for (SweepSummary.PointResult pr : summary.points()) {
        Color c = Palette.categorical(colour++);
        if (pr.runs().isEmpty()) {
          continue;
        }
        int n = pr.runs().stream().mapToInt(r -> r.log().rows().size()).min().orElse(0);
        double[] x = Arrays.copyOf(pr.runs().get(0).log().column("seqs"), n);
        double[][] byRun = pr.runs().stream().map(r -> Arrays.copyOf(r.log().column(spec[0]), n)).toArray(double[][]::new);
        double[] med = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        for (int i = 0; i < n; i++) {
          double[] v = new double[byRun.length];
          for (int k = 0; k < v.length; k++) {
            v[k] = byRun[k][i];
          }
          SeedSpread s = SeedSpread.of(v);
          med[i] = s.median();
          lo[i] = s.min();
          hi[i] = s.max();
        }
        String name = pr.label() + " (" + pr.runs().size() + (pr.runs().size() == 1 ? " seed)" : " seeds)");
        if (pr.runs().size() > 1) {
          p.add(Series.band(name + " range", x, lo, hi, c));
        }
        p.add(Series.line(name, x, med, c));
      }
      panels.add(p.build());
    }
    return FigureWriter.writePanels(panels, base, formats);
  }

  /** Landmark name, panel title, y label, is-a-sequence-count. */
  private static final String[][] SEQ_LANDMARKS = {
      {"flip_peak_seqs", "Flip peak"}, {"flip_below_0.5_seqs", "Flip < 0.5"}, {"flip_below_0.2_seqs", "Flip < 0.2"}};
  private static final String[][] ACC_LANDMARKS = {
      {"flip_peak", "Flip peak"}, {"ciwl_final", "CIWL final"}, {"iwl_final", "IWL final"}, {"icl_final", "ICL final"}};

  static List<Path> landmarks(SweepSummary summary, List<GridAxis> axes, Path base, Set<FigureWriter.Format> formats) {
    GridAxis knob = axes.get(0);
    boolean numeric = knob.values().stream().allMatch(SweepFigures::isNumber);
    // one group per combination of the other swept settings
    Map<String, List<SweepSummary.PointResult>> groups = new LinkedHashMap<>();
    for (SweepSummary.PointResult p : summary.points()) {
      StringBuilder g = new StringBuilder();
      for (GridAxis a : axes.subList(1, axes.size())) {
        g.append(g.length() == 0 ? "" : " ").append(a.key()).append('=').append(p.point().get(a.key()));
      }
      groups.computeIfAbsent(g.toString(), k -> new ArrayList<>()).add(p);
    }
    String xLabel = numeric ? knob.key() : knob.key() + " (" + positions(knob) + ")";
    List<Panel> panels = new ArrayList<>();
    panels.add(panel("When Flip peaks and falls (median, seed range)", xLabel, "sequences seen", SEQ_LANDMARKS, groups, knob,
        numeric, false));
    panels.add(panel("Accuracies (median, seed range)", xLabel, "accuracy", ACC_LANDMARKS, groups, knob, numeric, true));
    return FigureWriter.writePanels(panels, base, formats);
  }

  private static Panel panel(String title, String xLabel, String yLabel, String[][] landmarks,
      Map<String, List<SweepSummary.PointResult>> groups, GridAxis knob, boolean numeric, boolean legend) {
    Panel.Builder b = Panel.builder(title).axes(xLabel, yLabel).legend(Panel.Legend.OUTSIDE);
    if (numeric && knob.values().stream().mapToDouble(Double::parseDouble).min().orElse(0) > 0
        && ratio(knob) >= 3) {
      b.logX(true);
    }
    if (legend) {
      b.yRange(-0.02, 1.02);
    }
    int colour = 0;
    for (String[] lm : landmarks) {
      for (Map.Entry<String, List<SweepSummary.PointResult>> g : groups.entrySet()) {
        Color c = Palette.categorical(colour++);
        List<double[]> pts = new ArrayList<>(); // x, median, min, max
        for (SweepSummary.PointResult p : g.getValue()) {
          SeedSpread s = p.spread().get(lm[0]);
          if (s.defined() > 0) {
            String v = p.point().get(knob.key());
            double x = numeric ? Double.parseDouble(v) : knob.values().indexOf(v) + 1;
            pts.add(new double[] {x, s.median(), s.min(), s.max()});
          }
        }
        if (pts.isEmpty()) {
          continue;
        }
        pts.sort(java.util.Comparator.comparingDouble(a -> a[0]));
        double[] x = pts.stream().mapToDouble(a -> a[0]).toArray();
        String name = lm[1] + (g.getKey().isEmpty() ? "" : ", " + g.getKey());
        b.add(Series.band(name + " range", x, pts.stream().mapToDouble(a -> a[2]).toArray(),
            pts.stream().mapToDouble(a -> a[3]).toArray(), c));
        b.add(new Series(name, x, pts.stream().mapToDouble(a -> a[1]).toArray(), c, Series.Style.LINE_AND_MARKERS, 0));
      }
    }
    return b.build();
  }

  private static double ratio(GridAxis knob) {
    double[] v = knob.values().stream().mapToDouble(Double::parseDouble).toArray();
    return Arrays.stream(v).max().orElse(1) / Arrays.stream(v).min().orElse(1);
  }

  private static String positions(GridAxis knob) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < knob.values().size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(i + 1).append(" = ").append(knob.values().get(i));
    }
    return sb.toString();
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
