package coopetition.app.intervene;

import coopetition.figures.FigureWriter;
import coopetition.figures.Palette;
import coopetition.figures.Panel;
import coopetition.figures.Series;
import coopetition.transformer.eval.Evaluator;
import coopetition.transformer.intervene.Measured;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The figures of ./coop intervene: Fig 2b (accuracy vs clamped delta, each head alone) and value sweeps. */
final class InterveneFigures {
  private InterveneFigures() {}

  /**
   * Fig 2b: in-context accuracy against the clamped attention delta (correct − incorrect label), one curve per
   * head (alone in its layer), one panel per evaluator; chance is 1/L.
   */
  static List<Path> fig2b(List<Measured> rows, int contextLength, String checkpoint, Path base,
      Set<FigureWriter.Format> formats) {
    List<Panel> panels = new ArrayList<>();
    Set<Evaluator> evs = new LinkedHashSet<>(rows.stream().map(Measured::evaluator).toList());
    int i = 0;
    for (Evaluator e : evs) {
      double clean = rows.stream().filter(r -> r.evaluator() == e && r.head().isEmpty()).mapToDouble(Measured::inContextAcc)
          .findFirst().orElse(Double.NaN);
      Panel.Builder p = Panel.builder(e.paperName() + " accuracy vs clamped attention delta, each head alone (Fig 2b), "
          + checkpoint).axes("attention to correct label - to incorrect label (clamped)", e.paperName()
          + " in-context accuracy (all heads: " + String.format(java.util.Locale.ROOT, "%.3f", clean) + ")")
          .yRange(-0.02, 1.02).xRange(-1.05, 1.05).horizontalLine(1.0 / contextLength, "chance")
          .legend(++i == evs.size() ? Panel.Legend.OUTSIDE : Panel.Legend.NONE);
      addCurves(p, rows.stream().filter(r -> r.evaluator() == e && !r.head().isEmpty() && !Double.isNaN(r.value())).toList(),
          "head ");
      panels.add(p.build());
    }
    return FigureWriter.writePanels(panels, base, formats);
  }

  /** Accuracy against the swept value (strength or temperature), one curve per manipulation family and head. */
  static List<Path> sweep(List<Measured> rows, String kind, Path base, Set<FigureWriter.Format> formats) {
    List<Panel> panels = new ArrayList<>();
    Set<Evaluator> evs = new LinkedHashSet<>(rows.stream().map(Measured::evaluator).toList());
    int i = 0;
    for (Evaluator e : evs) {
      Panel.Builder p = Panel.builder(e.paperName() + ": " + kind).axes(kind.equals("force") ? "strength" : "temperature",
          e.paperName() + " in-context accuracy").yRange(-0.02, 1.02)
          .legend(++i == evs.size() ? Panel.Legend.OUTSIDE : Panel.Legend.NONE);
      p.logX(kind.equals("temperature"));
      addCurves(p, rows.stream().filter(r -> r.evaluator() == e && !Double.isNaN(r.value())).toList(), "");
      panels.add(p.build());
    }
    return FigureWriter.writePanels(panels, base, formats);
  }

  /** One curve per head (and, for sweeps, per pattern), in value order. */
  private static void addCurves(Panel.Builder p, List<Measured> rows, String prefix) {
    Map<String, List<Measured>> byCurve = new LinkedHashMap<>();
    for (Measured r : rows) {
      String key = prefix.isEmpty() ? r.manipulation().replaceAll(" (strength |x)[-0-9.Ee]+$", "")
          : prefix + r.head();
      byCurve.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    int c = 0;
    for (Map.Entry<String, List<Measured>> e : byCurve.entrySet()) {
      List<Measured> rs = e.getValue().stream().sorted(java.util.Comparator.comparingDouble(Measured::value)).toList();
      double[] x = rs.stream().mapToDouble(Measured::value).toArray();
      double[] y = rs.stream().mapToDouble(Measured::inContextAcc).toArray();
      p.add(new Series(e.getKey(), x, y, Palette.categorical(c++), Series.Style.LINE_AND_MARKERS, 0));
    }
  }
}
