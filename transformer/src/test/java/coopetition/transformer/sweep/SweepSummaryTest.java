package coopetition.transformer.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.figures.FigureWriter;
import coopetition.transformer.eval.Evaluator;
import coopetition.transformer.train.MetricsLog;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Landmarks of made-up curves, their median and range over seeds, the tables and the figures. */
class SweepSummaryTest {

  /** Writes a finished run whose Flip follows {@code flip} (one eval per 100 sequences). */
  private static void run(Path dir, double[] flip, double ciwl) throws Exception {
    Files.createDirectories(dir);
    MetricsLog log = new MetricsLog(dir.resolve("metrics.csv"), List.of(Evaluator.values()));
    for (int i = 0; i < flip.length; i++) {
      log.add(100L * i, i, 1.0 / (i + 1), Map.of("flip_in_context_acc", flip[i], "ciwl_in_context_acc", ciwl,
          "icl_in_context_acc", 0.9, "iwl_acc", 0.1));
    }
    log.write();
  }

  @Test
  void landmarksOfOneRun(@TempDir Path dir) throws Exception {
    run(dir, new double[] {0.5, 0.9, 0.95, 0.6, 0.4, 0.1}, 0.8);
    RunLandmarks l = RunLandmarks.of(MetricsLog.read(dir.resolve("metrics.csv")));
    assertEquals(new RunLandmarks(0.95, 200, 400, 500, 0.8, 0.9, 0.1, 1.0 / 6, 500), l);
    run(dir, new double[] {0.5, 0.9, 0.8, 0.6, 0.55, 0.5}, 0.8);
    RunLandmarks never = RunLandmarks.of(MetricsLog.read(dir.resolve("metrics.csv")));
    assertTrue(Double.isNaN(never.flipBelowHalfSeqs()), "0.5 is not below 0.5");
  }

  @Test
  void medianAndRangeOverSeedsSkipCrossingsThatNeverCame() {
    assertEquals(new SeedSpread(2, 1, 7, 3, 3), SeedSpread.of(new double[] {7, 1, 2}));
    assertEquals(new SeedSpread(4.5, 2, 7, 2, 3), SeedSpread.of(new double[] {7, Double.NaN, 2}));
    assertEquals(0, SeedSpread.of(new double[] {Double.NaN}).defined());
    assertEquals("300 [200, 400] (2 of 3)", SweepSummary.cell(new SeedSpread(300, 200, 400, 2, 3), true));
    assertEquals("never", SweepSummary.cell(new SeedSpread(Double.NaN, Double.NaN, Double.NaN, 0, 3), true));
    assertEquals("1.25M", SweepSummary.fmt(1_250_000, true));
    assertEquals("450k", SweepSummary.fmt(450_000, true));
  }

  @Test
  void groupsByGridPointAndWritesTablesAndFigures(@TempDir Path dir) throws Exception {
    SweepSpec spec = new SweepSpec("quick", List.of("train_seqs=500", "batch=25", "eval_every=100"),
        List.of(GridAxis.parse("classes=4096,8192")), List.of(0, 1, 2));
    SweepManifest m = SweepManifest.openOrCreate(dir, spec);
    m.write(Map.of());
    double[][] flips = {{0.5, 0.9, 0.6, 0.4, 0.3, 0.1}, {0.5, 0.8, 0.7, 0.45, 0.3, 0.1}, {0.5, 0.95, 0.9, 0.6, 0.3, 0.25}};
    for (int s = 0; s < 3; s++) {
      run(m.runDir(m.runs().get(s)), flips[s], 0.8);
      run(m.runDir(m.runs().get(3 + s)), new double[] {0.5, 0.6, 0.7, 0.8, 0.9, 0.95}, 0.5);
    }
    Files.delete(m.runDir(m.runs().get(5)).resolve("metrics.csv")); // one run not finished
    SweepSummary summary = new SweepSummary(m);
    assertEquals(5, summary.finishedRuns());
    SweepSummary.PointResult k4096 = summary.points().get(0);
    assertEquals(Map.of("classes", "4096"), k4096.point());
    assertEquals(new SeedSpread(300, 300, 400, 3, 3), k4096.spread().get("flip_below_0.5_seqs"));
    assertEquals(new SeedSpread(0.9, 0.8, 0.95, 3, 3), k4096.spread().get("flip_peak"));
    assertEquals(new SeedSpread(500, 500, 500, 2, 3), k4096.spread().get("flip_below_0.2_seqs"));
    assertEquals(0, summary.points().get(1).spread().get("flip_below_0.5_seqs").defined());
    List<Path> files = summary.write(dir.resolve("summary"));
    String md = Files.readString(files.get(2));
    assertTrue(md.contains("| classes=4096 | 3 | 0.900 [0.800, 0.950] | 100 [100, 100] | 300 [300, 400] | 500 [500, 500] (2 of 3) |"), md);
    assertTrue(md.contains("| classes=8192 | 2 of 3 | 0.950 [0.950, 0.950] | 500 [500, 500] | never | never |"), md);
    assertTrue(md.contains("5 of 6 runs finished"), md);
    List<String> points = Files.readAllLines(files.get(1));
    assertTrue(points.get(0).startsWith("classes,seeds_done,seeds,flip_peak_median,flip_peak_min,flip_peak_max,flip_peak_n,"));
    assertTrue(points.get(1).startsWith("4096,3,3,0.9,0.8,0.95,3,"), points.get(1));
    assertEquals(6, Files.readAllLines(files.get(0)).size(), "header and five finished runs");
    List<Path> figures = SweepFigures.write(summary, spec.axes(), dir.resolve("summary"), FigureWriter.PNG_SVG);
    assertEquals(4, figures.size());
    BufferedImage curves = ImageIO.read(dir.resolve("summary/curves.png").toFile());
    assertTrue(curves.getWidth() > 2 * curves.getHeight(), "three panels side by side");
    BufferedImage landmarks = ImageIO.read(dir.resolve("summary/landmarks.png").toFile());
    assertTrue(landmarks.getWidth() > landmarks.getHeight(), "two panels side by side");
  }
}
