package coopetition.transformer.train;

import coopetition.figures.FigureWriter;
import coopetition.figures.Palette;
import coopetition.figures.Panel;
import coopetition.figures.Series;
import java.nio.file.Path;

/**
 * curves.png/svg in the style of the paper's Fig. 1b: in-context accuracy of the Train (black), ICL
 * (blue), CIWL (green) and Flip (red) evaluators against sequences seen, chance at 0.5; plain accuracy
 * of pure IWL dashed purple. The legend sits right of the plot, so it never hides a curve.
 */
public final class Curves {
  private Curves() {}

  public static void write(MetricsLog log, Path base, String title) {
    double[] x = log.column("seqs");
    Panel.Builder p = Panel.builder(title).axes("sequences seen", "in-context accuracy").yRange(-0.02, 1.02)
        .legendOutside()
        .horizontalLine(0.5, "chance");
    add(p, log, "train_eval_in_context_acc", "Train", Palette.TRAIN, x, Series.Style.LINE);
    add(p, log, "icl_in_context_acc", "ICL", Palette.ICL, x, Series.Style.LINE);
    add(p, log, "ciwl_in_context_acc", "CIWL", Palette.CIWL, x, Series.Style.LINE);
    add(p, log, "flip_in_context_acc", "Flip", Palette.FLIP, x, Series.Style.LINE);
    add(p, log, "iwl_acc", "IWL (acc)", Palette.IWL, x, Series.Style.DASHED);
    FigureWriter.write(p.build(), base, FigureWriter.PNG_SVG);
  }

  private static void add(Panel.Builder p, MetricsLog log, String column, String name, java.awt.Color color, double[] x,
      Series.Style style) {
    if (log.columns().contains(column)) {
      p.add(new Series(name, x, log.column(column), color, style, 0));
    }
  }
}
