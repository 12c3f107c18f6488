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
public final class InterveneFigures {
  private InterveneFigures() {}

  /**
   * Fig 2b: in-context accuracy against the clamped attention delta (correct − incorrect label), one curve per
   * head (alone in its layer), one panel per evaluator; chance is 1/L.
   */
  public static List<Path> fig2b(List<Measured> rows, int contextLength, String checkpoint, Path base,
      Set<FigureWriter.Format> formats) {
    List<Panel> panels = new ArrayList<>();
    Set<Evaluator> evs = new LinkedHashSet<>(rows.stream().map(Measured::evaluator).toList());
    int i = 0;
    for (Evaluator e : evs) {
      String name = e.columnPrefix().toUpperCase(java.util.Locale.ROOT);
      Measured clean = rows.stream().filter(r -> r.evaluator() == e && r.head().isEmpty()).findFirst().orElseThrow();
      List<Measured> clamped = rows.stream().filter(r -> r.evaluator() == e && !r.head().isEmpty() && !Double.isNaN(r.value()))
          .toList();
      boolean last = ++i == evs.size();
      Panel.Builder acc = Panel.builder(name + ", each head alone, clamped (Fig 2b), " + checkpoint)
          .axes("attention delta: correct - incorrect label", name + " in-context accuracy")
          .yRange(-0.02, 1.02).xRange(-1.05, 1.05).horizontalLine(1.0 / contextLength, "chance")
          .legend(Panel.Legend.NONE);
      addHeadCurves(acc, clamped, false);
      acc.add(new Series(String.format(java.util.Locale.ROOT, "all heads, unclamped (%.3f)", clean.inContextAcc()),
          new double[] {-1, 1}, new double[] {clean.inContextAcc(), clean.inContextAcc()}, Palette.COST, Series.Style.DASHED, 0));
      panels.add(acc.build());
      Panel.Builder loss = Panel.builder(name + " loss, same clamps").axes("attention delta: correct - incorrect label",
          name + " cross-entropy").xRange(-1.05, 1.05).legend(last ? Panel.Legend.OUTSIDE : Panel.Legend.NONE);
      addHeadCurves(loss, clamped, true);
      loss.add(new Series(String.format(java.util.Locale.ROOT, "all heads, unclamped (%.3f)", clean.inContextAcc()),
          new double[] {-1, 1}, new double[] {clean.loss(), clean.loss()}, Palette.COST, Series.Style.DASHED, 0));
      panels.add(loss.build());
    }
    return FigureWriter.writePanels(panels, base, formats);
  }

  /** One curve per head, named in the paper's way (layers and heads from 1). */
  private static void addHeadCurves(Panel.Builder p, List<Measured> rows, boolean loss) {
    Map<String, List<Measured>> byHead = new LinkedHashMap<>();
    rows.forEach(r -> byHead.computeIfAbsent(r.head(), k -> new ArrayList<>()).add(r));
    int c = 0;
    for (Map.Entry<String, List<Measured>> e : byHead.entrySet()) {
      String[] lh = e.getKey().split(":");
      String name = "Layer " + (Integer.parseInt(lh[0]) + 1) + " head " + (Integer.parseInt(lh[1]) + 1);
      List<Measured> rs = e.getValue().stream().sorted(java.util.Comparator.comparingDouble(Measured::value)).toList();
      double[] x = rs.stream().mapToDouble(Measured::value).toArray();
      double[] y = rs.stream().mapToDouble(loss ? Measured::loss : Measured::inContextAcc).toArray();
      p.add(new Series(name, x, y, Palette.categorical(c++), Series.Style.LINE_AND_MARKERS, 0));
    }
  }

  /** Accuracy against the swept value (strength or temperature), one curve per manipulation family and head. */
  static List<Path> sweep(List<Measured> rows, String kind, Path base, Set<FigureWriter.Format> formats) {
    List<Panel> panels = new ArrayList<>();
    Set<Evaluator> evs = new LinkedHashSet<>(rows.stream().map(Measured::evaluator).toList());
    int i = 0;
    for (Evaluator e : evs) {
      String name = e.columnPrefix().toUpperCase(java.util.Locale.ROOT);
      Panel.Builder p = Panel.builder(name + ": " + kind).axes(kind.equals("force") ? "strength" : "temperature",
          name + " in-context accuracy").yRange(-0.02, 1.02)
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
