package coopetition.app.probe;

import coopetition.figures.FigureWriter;
import coopetition.figures.Palette;
import coopetition.figures.Panel;
import coopetition.figures.Series;
import coopetition.probes.ProbeSweep;
import coopetition.probes.ProbeTask;
import coopetition.transformer.train.MetricsLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Probe accuracy over training, one panel per task, one curve per layer, the run's Flip curve beside. */
final class ProbeFigures {
  private ProbeFigures() {}

  static List<Path> curves(List<ProbeSweep.Row> rows, MetricsLog log, String title, Path base,
      Set<FigureWriter.Format> formats) {
    Set<ProbeTask> tasks = new LinkedHashSet<>(rows.stream().map(ProbeSweep.Row::task).toList());
    Set<Integer> layers = new TreeSet<>(rows.stream().map(ProbeSweep.Row::layer).toList());
    List<Panel> panels = new ArrayList<>();
    int i = 0;
    for (ProbeTask t : tasks) {
      List<ProbeSweep.Row> tr = rows.stream().filter(r -> r.task() == t).toList();
      double chance = tr.stream().mapToDouble(r -> r.result().chance()).average().orElse(Double.NaN);
      Panel.Builder p = Panel.builder("Probe: " + t.column() + (i == 0 ? ", " + title.replaceAll(", seeds.*", "") : ""))
          .axes("sequences seen", "held-out accuracy").yRange(-0.02, 1.02)
          .horizontalLine(chance, String.format(java.util.Locale.ROOT, "majority %.2f", chance))
          .legend(++i == tasks.size() ? Panel.Legend.OUTSIDE : Panel.Legend.NONE);
      if (log != null && log.columns().contains("flip_in_context_acc")) {
        p.add(new Series("Flip (run)", log.column("seqs"), log.column("flip_in_context_acc"), Palette.light(Palette.FLIP),
            Series.Style.LINE, 0));
      }
      for (int l : layers) {
        List<ProbeSweep.Row> lr = tr.stream().filter(r -> r.layer() == l).toList();
        double[] x = lr.stream().mapToDouble(ProbeSweep.Row::seqs).toArray();
        double[] y = lr.stream().mapToDouble(r -> r.result().accuracy()).toArray();
        p.add(new Series(l == 0 ? "embeddings" : "after layer " + l, x, y, Palette.categorical(l), Series.Style.LINE_AND_MARKERS, 0));
      }
      panels.add(p.build());
    }
    return FigureWriter.writePanels(panels, base, formats);
  }
}
