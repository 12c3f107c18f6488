package coopetition.app.mech;

import coopetition.figures.FigureWriter;
import coopetition.figures.Palette;
import coopetition.figures.Panel;
import coopetition.figures.Series;
import coopetition.transformer.donor.ChildRun;
import coopetition.transformer.donor.ChildSummary;
import coopetition.transformer.donor.DonorExperiment;
import coopetition.transformer.donor.DonorStudy;
import coopetition.transformer.train.MetricsLog;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The figures of the donor experiments (the paper's Fig 4a, 4b and 4c). */
final class DonorFigures {
  private DonorFigures() {}

  /** Draws the figure of a finished experiment as {@code DIR/fig4a} (4b, 4c). */
  static List<Path> draw(DonorExperiment.Result r, MetricsLog donorRun, Set<FigureWriter.Format> formats) {
    Path base = r.dir().resolve("fig" + r.figure().label);
    return switch (r.figure()) {
      case FIG4A -> FigureWriter.writePanels(List.of(
          curves(r.children(), "icl_in_context_acc", "ICL-only data, donor's Layer 2 + unembedding frozen (4a)", "ICL in-context accuracy", null, Panel.Legend.NONE),
          loss(r.children(), "training loss (mean since the previous eval)")), base, formats);
      case FIG4B -> FigureWriter.writePanels(fig4b(r), base, formats);
      case FIG4C -> FigureWriter.writePanels(fig4c(r, donorRun), base, formats);
    };
  }

  /** Fig 4b: what each donor lets ICL-only training reach, against the donor's sequences; and the curves. */
  private static List<Panel> fig4b(DonorExperiment.Result r) {
    List<ChildSummary> donors = r.main().stream().filter(s -> s.donorSeqs() >= 0).toList();
    ChildSummary none = r.main().stream().filter(s -> s.donorSeqs() < 0).findFirst().orElseThrow();
    double[] x = donors.stream().mapToDouble(s -> s.donorSeqs()).toArray();
    double[] best = donors.stream().mapToDouble(ChildSummary::best).toArray();
    double[] last = donors.stream().mapToDouble(ChildSummary::last).toArray();
    double thr = none.threshold();
    Panel reached = Panel.builder("ICL reached with a CIWL-only donor (4b)")
        .axes("donor checkpoint (sequences of CIWL-only training)", "ICL in-context accuracy").yRange(-0.02, 1.02)
        .horizontalLine(thr, String.format(Locale.ROOT, "%.2f", thr)).legend(Panel.Legend.INSIDE)
        .add(new Series("best", x, best, Palette.ICL, Series.Style.LINE_AND_MARKERS, 0))
        .add(new Series("at the end", x, last, Palette.CIWL, Series.Style.LINE_AND_MARKERS, 0))
        .add(new Series(String.format(Locale.ROOT, "no donor: best %.2f", none.best()), new double[] {x[0], x[x.length - 1]},
            new double[] {none.best(), none.best()}, Palette.COST, Series.Style.DASHED, 0))
        .build();
    List<double[]> speed = new ArrayList<>();
    for (ChildSummary s : donors) {
      if (s.reached()) {
        speed.add(new double[] {s.donorSeqs(), s.reachedAt()});
      }
    }
    // An empty panel would read as a drawing failure: say in its title that no donor got there.
    Panel.Builder fast = Panel.builder(speed.isEmpty()
        ? String.format(Locale.ROOT, "no donor reached %.2f within %,d sequences", thr, donors.get(0).trained())
        : String.format(Locale.ROOT, "sequences to reach %.2f (missing: never)", thr))
        .axes("donor checkpoint (sequences of CIWL-only training)", "ICL-only sequences").legend(Panel.Legend.NONE)
        .xRange(x[0], x[x.length - 1]).yRange(0, donors.get(0).trained() * 1.02);
    if (!speed.isEmpty()) {
      fast.add(new Series("to " + thr, speed.stream().mapToDouble(a -> a[0]).toArray(),
          speed.stream().mapToDouble(a -> a[1]).toArray(), Palette.FLIP, Series.Style.LINE_AND_MARKERS, 0));
    }
    Panel curves = curves(r.children(), "icl_in_context_acc", "the ICL-only runs", "ICL in-context accuracy", null);
    return List.of(reached, fast.build(), curves);
  }

  /** Fig 4c: Flip and ICL of each continued checkpoint on the donor's counter, with the CIWL-only run itself. */
  private static List<Panel> fig4c(DonorExperiment.Result r, MetricsLog donorRun) {
    String what = ", CIWL-only checkpoints on normal data (4c)";
    return List.of(
        curves(r.children(), "flip_in_context_acc", "Flip (1 = ICL)" + what, "in-context accuracy", donorRun,
            Panel.Legend.NONE),
        curves(r.children(), "icl_in_context_acc", "ICL" + what, "in-context accuracy", donorRun, Panel.Legend.OUTSIDE));
  }

  private static Panel curves(List<ChildRun> children, String metric, String title, String yLabel, MetricsLog own) {
    return curves(children, metric, title, yLabel, own, Panel.Legend.OUTSIDE);
  }

  /** One curve per child on the experiment's axis; the donor run's own curve (if given) in grey. */
  private static Panel curves(List<ChildRun> children, String metric, String title, String yLabel, MetricsLog own,
      Panel.Legend legend) {
    boolean continued = children.stream().anyMatch(c -> c.initFrom() != null);
    Panel.Builder p = Panel.builder(title).axes(continued ? "sequences seen (the checkpoint's, then its own)" : "sequences seen",
        yLabel).yRange(-0.02, 1.02).legend(legend)
        .horizontalLine(0.5, "chance");
    if (own != null && own.columns().contains(metric)) {
      p.add(new Series("CIWL-only run itself", own.column("seqs"), own.column(metric), Palette.COST, Series.Style.DASHED, 0));
    }
    int i = 0;
    for (ChildRun c : children) {
      MetricsLog log = c.metrics();
      double[] own0 = log.column("seqs");
      double[] x = new double[own0.length];
      for (int k = 0; k < x.length; k++) {
        x[k] = c.axisSeqs(own0[k]);
      }
      // black is categorical(0): the no-donor baseline has it alone, dashed
      boolean none = c.name().equals(DonorStudy.NO_DONOR);
      Color color = none ? Color.BLACK : Palette.categorical(++i);
      p.add(new Series(label(c), x, log.column(metric), color, none ? Series.Style.DASHED : Series.Style.LINE, 0));
    }
    return p.build();
  }

  /** The children's training loss: how far a run got even where its accuracy has not moved yet. */
  private static Panel loss(List<ChildRun> children, String title) {
    Panel.Builder p = Panel.builder(title).axes("sequences seen", "cross-entropy").legend(Panel.Legend.OUTSIDE);
    int i = 0;
    for (ChildRun c : children) {
      MetricsLog log = c.metrics();
      double[] x = log.column("seqs");
      double[] y = log.column("train_loss");
      boolean none = c.name().equals(DonorStudy.NO_DONOR);
      // the first row has no loss yet (no step before it)
      p.add(new Series(label(c), java.util.Arrays.copyOfRange(x, 1, x.length), java.util.Arrays.copyOfRange(y, 1, y.length),
          none ? Color.BLACK : Palette.categorical(++i), none ? Series.Style.DASHED : Series.Style.LINE, 0));
    }
    return p.build();
  }

  private static String label(ChildRun c) {
    if (c.donorSeqs() < 0) {
      return "no donor";
    }
    String at = String.format(Locale.ROOT, "%,d", c.donorSeqs());
    return c.initFrom() != null ? "from " + at : c.name().equals("donor") ? "donor (" + at + ")" : "donor " + at;
  }
}
