package coopetition.app.mech;

import coopetition.figures.FigureWriter;
import coopetition.figures.Palette;
import coopetition.figures.Panel;
import coopetition.figures.Series;
import coopetition.transformer.eval.Evaluator;
import coopetition.transformer.mech.AttentionMeasure;
import coopetition.transformer.mech.AttentionMeasure.Measure;
import coopetition.transformer.mech.ResultTables;
import coopetition.transformer.train.MetricsLog;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/** The figures of the mechanistic commands (the paper's Figs 2a, 3a, 3b/3c and the appendix PT figure). */
final class MechFigures {
  private MechFigures() {}

  /** The four evaluators of the paper's overlay figures, in its colours. */
  private static final Object[][] IN_CONTEXT = {
      {"train_eval_in_context_acc", "Train", Palette.TRAIN}, {"icl_in_context_acc", "ICL", Palette.ICL},
      {"ciwl_in_context_acc", "CIWL", Palette.CIWL}, {"flip_in_context_acc", "Flip", Palette.FLIP}};

  /** Fig 3a: induction strength on Flip sequences against sequences seen, one curve per head of {@code layer}. */
  static List<Path> induction(List<AttentionMeasure> m, int layer, int heads, Path base, Set<FigureWriter.Format> formats) {
    Panel.Builder p = Panel.builder("Layer " + layer + " induction strength on Flip sequences (Fig 3a)")
        .axes("sequences seen", "attn to correct label - attn to other label").legend(Panel.Legend.OUTSIDE)
        .yRange(-1.02, 1.02) // the measure's whole range, so early noise is not blown up
        .horizontalLine(0, "0");
    for (int h = 1; h <= heads; h++) {
      int head = h;
      addCurve(p, m, x -> x.evaluator() == Evaluator.FLIP && x.layer() == layer && x.head() == head
          && x.measure() == Measure.INDUCTION_STRENGTH, "head " + h, Palette.categorical(h - 1), Series.Style.LINE);
    }
    return FigureWriter.write(p.build(), base, formats);
  }

  /**
   * Appendix avg_pt_attn_patterns: Layer-1 attention of label tokens to their exemplar (previous token) and
   * to themselves, per head, averaged over the evaluators measured.
   */
  static List<Path> previousToken(List<AttentionMeasure> m, int layer, int heads, Path base, Set<FigureWriter.Format> formats) {
    List<Panel> panels = new ArrayList<>();
    Measure[] which = {Measure.PREV_TOKEN_AT_LABELS, Measure.SELF_AT_LABELS};
    String[] titles = {"Layer " + layer + ": label -> its exemplar (previous token)", "Layer " + layer + ": label -> itself"};
    for (int k = 0; k < 2; k++) {
      Measure measure = which[k];
      Panel.Builder p = Panel.builder(titles[k]).axes("sequences seen", "mean attention (over evaluators)")
          .yRange(-0.02, 1.02).legend(k == 1 ? Panel.Legend.OUTSIDE : Panel.Legend.NONE);
      for (int h = 1; h <= heads; h++) {
        int head = h;
        addCurve(p, m, x -> x.layer() == layer && x.head() == head && x.measure() == measure, "head " + h,
            Palette.categorical(h - 1), Series.Style.LINE);
      }
      panels.add(p.build());
    }
    return FigureWriter.writePanels(panels, base, formats);
  }

  /**
   * Fig 2a: Layer-{@code layer} attention from the query to each token on CIWL sequences at checkpoint
   * {@code seqs}, one panel per position of the correct label, one line of markers per head.
   */
  static List<Path> byCorrectLabel(List<AttentionMeasure> m, long seqs, int layer, int heads, int tokens, Path base,
      Set<FigureWriter.Format> formats) {
    List<Panel> panels = new ArrayList<>();
    for (int c = 2; c < tokens; c += 2) {
      int correct = c;
      Panel.Builder p = Panel.builder("CIWL, correct label at token " + c + " (Fig 2a), " + seqs + " seqs")
          .axes("key token (odd = exemplar, even = label, " + tokens + " = query)", "Layer " + layer + " attention from the query")
          .yRange(-0.02, 1.02).xRange(0.5, tokens + 0.5)
          .legend(c + 2 >= tokens ? Panel.Legend.OUTSIDE : Panel.Legend.NONE);
      for (int h = 1; h <= heads; h++) {
        int head = h;
        double[] y = new double[tokens];
        double[] x = new double[tokens];
        for (int k = 1; k <= tokens; k++) {
          int key = k;
          x[k - 1] = k;
          y[k - 1] = m.stream().filter(a -> a.seqs() == seqs && a.evaluator() == Evaluator.CIWL && a.layer() == layer
              && a.head() == head && a.measure() == Measure.QUERY_ROW_BY_CORRECT_LABEL && a.correctLabelToken() == correct
              && a.keyToken() == key).mapToDouble(AttentionMeasure::value).findFirst().orElse(Double.NaN);
        }
        p.add(new Series("head " + h, x, y, Palette.categorical(h - 1), Series.Style.LINE_AND_MARKERS, 0));
      }
      panels.add(p.build());
    }
    return FigureWriter.writePanels(panels, base, formats);
  }

  /**
   * Figs 3b/3c: grafted in-context accuracy (dark) over the swept side, against the run's own curves
   * (light); one panel per value of the fixed side.
   */
  static List<Path> graft(List<ResultTables.MetricsRow> rows, MetricsLog own, int split, int depth, Path base,
      Set<FigureWriter.Format> formats) {
    boolean sweepEarly = rows.stream().map(r -> r.keys()[1]).distinct().count() == 1
        && rows.stream().map(r -> r.keys()[0]).distinct().count() > 1;
    int fixedKey = sweepEarly ? 1 : 0;
    int sweptKey = sweepEarly ? 0 : 1;
    Map<Long, List<ResultTables.MetricsRow>> groups = new TreeMap<>();
    for (ResultTables.MetricsRow r : rows) {
      groups.computeIfAbsent(r.keys()[fixedKey], k -> new ArrayList<>()).add(r);
    }
    List<Panel> panels = new ArrayList<>();
    int i = 0;
    for (Map.Entry<Long, List<ResultTables.MetricsRow>> g : groups.entrySet()) {
      String title = sweepEarly
          ? layers(split + 1, depth) + " + unembedding from " + g.getKey() + " seqs"
          : "Embeddings" + (split == 0 ? "" : " + " + layers(1, split)) + " from " + g.getKey() + " seqs";
      Panel.Builder p = Panel.builder(title).axes((sweepEarly ? "early" : "late") + " checkpoint (sequences seen)",
          "in-context accuracy").yRange(-0.02, 1.02).horizontalLine(0.5, "chance")
          .legend(++i == groups.size() ? Panel.Legend.OUTSIDE : Panel.Legend.NONE);
      for (Object[] e : IN_CONTEXT) {
        String col = (String) e[0];
        Color c = (Color) e[2];
        if (own != null && own.columns().contains(col)) {
          p.add(new Series(e[1] + " (run)", own.column("seqs"), own.column(col), Palette.light(c), Series.Style.LINE, 0));
        }
        List<ResultTables.MetricsRow> rs = g.getValue();
        double[] x = rs.stream().mapToDouble(r -> r.keys()[sweptKey]).toArray();
        double[] y = rs.stream().mapToDouble(r -> r.metrics().getOrDefault(col, Double.NaN)).toArray();
        p.add(new Series(e[1] + " (graft)", x, y, c, Series.Style.LINE_AND_MARKERS, 0));
      }
      panels.add(p.build());
    }
    return FigureWriter.writePanels(panels, base, formats);
  }

  /** "Layer 2" or "Layers 2-3" (empty range: "no layers"). */
  private static String layers(int from, int to) {
    return from > to ? "no layers" : from == to ? "Layer " + from : "Layers " + from + "-" + to;
  }

  private static void addCurve(Panel.Builder p, List<AttentionMeasure> m, Predicate<AttentionMeasure> which, String name,
      Color color, Series.Style style) {
    // mean over whatever else varies (e.g. evaluators), per checkpoint
    TreeMap<Long, double[]> bySeqs = new TreeMap<>();
    for (AttentionMeasure a : m) {
      if (which.test(a)) {
        double[] s = bySeqs.computeIfAbsent(a.seqs(), k -> new double[2]);
        s[0] += a.value();
        s[1]++;
      }
    }
    if (bySeqs.isEmpty()) {
      return;
    }
    double[] x = bySeqs.keySet().stream().mapToDouble(Long::doubleValue).toArray();
    double[] y = bySeqs.values().stream().mapToDouble(s -> s[0] / s[1]).toArray();
    p.add(new Series(name, x, y, color, style, 0));
  }
}
