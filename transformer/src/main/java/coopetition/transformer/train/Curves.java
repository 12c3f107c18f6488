package coopetition.transformer.train;

import coopetition.figures.FigureWriter;
import coopetition.figures.Palette;
import coopetition.figures.Panel;
import coopetition.figures.Series;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * curves.png/svg (or the formats asked for) in the style of the paper's Fig. 1b: in-context accuracy of the Train (black), ICL
 * (blue), CIWL (green) and Flip (red) evaluators against sequences seen, chance at 0.5; plain accuracy
 * of pure IWL dashed purple. The legend sits right of the plot, so it never hides a curve.
 */
public final class Curves {
  private Curves() {}

  public static List<Path> write(MetricsLog log, Path base, String title, Set<FigureWriter.Format> formats) {
    double[] x = log.column("seqs");
    Panel.Builder p = Panel.builder(title).axes("sequences seen", "in-context accuracy").yRange(-0.02, 1.02)
        .legend(Panel.Legend.OUTSIDE)
        .horizontalLine(0.5, "chance");
    add(p, log, "train_eval_in_context_acc", "Train", Palette.TRAIN, x, Series.Style.LINE);
    add(p, log, "icl_in_context_acc", "ICL", Palette.ICL, x, Series.Style.LINE);
    add(p, log, "ciwl_in_context_acc", "CIWL", Palette.CIWL, x, Series.Style.LINE);
    add(p, log, "flip_in_context_acc", "Flip", Palette.FLIP, x, Series.Style.LINE);
    add(p, log, "iwl_acc", "IWL (acc)", Palette.IWL, x, Series.Style.DASHED);
    return FigureWriter.write(p.build(), base, formats);
  }

  /**
   * compare.png/svg: several runs overlaid, one panel per quantity (Flip and CIWL in-context accuracy,
   * pure-IWL accuracy), one colour per run: e.g. a remedy against its baseline.
   */
  public static List<Path> writeComparison(List<MetricsLog> runs, List<String> labels, Path base,
      Set<FigureWriter.Format> formats) {
    String[][] panels = {
        {"flip_in_context_acc", "Flip (1 = ICL, 0 = CIWL)", "in-context accuracy"},
        {"ciwl_in_context_acc", "CIWL", "in-context accuracy"},
        {"iwl_acc", "pure IWL (label not in context)", "accuracy"}};
    List<Panel> out = new ArrayList<>();
    for (String[] spec : panels) {
      boolean last = spec == panels[panels.length - 1];
      Panel.Builder p = Panel.builder(spec[1]).axes("sequences seen", spec[2]).yRange(-0.02, 1.02)
          .legend(last ? Panel.Legend.OUTSIDE : Panel.Legend.NONE);
      for (int i = 0; i < runs.size(); i++) {
        MetricsLog log = runs.get(i);
        if (log.columns().contains(spec[0])) {
          p.add(new Series(labels.get(i), log.column("seqs"), log.column(spec[0]), Palette.categorical(i),
              Series.Style.LINE, 0));
        }
      }
      out.add(p.build());
    }
    return FigureWriter.writePanels(out, base, formats);
  }

  private static void add(Panel.Builder p, MetricsLog log, String column, String name, java.awt.Color color, double[] x,
      Series.Style style) {
    if (log.columns().contains(column)) {
      p.add(new Series(name, x, log.column(column), color, style, 0));
    }
  }
}
