package coopetition.figures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FigureWriterTest {
  @TempDir Path dir;

  private static Panel samplePanel(String title) {
    double[] x = new double[200];
    double[] y1 = new double[200];
    double[] y2 = new double[200];
    for (int i = 0; i < x.length; i++) {
      x[i] = i * 40;
      y1[i] = 0.3 * Math.exp(-Math.pow((x[i] - 4000) / 800, 2));
      y2[i] = 0.3 / (1 + Math.exp((x[i] - 5000) / 300));
    }
    return Panel.builder(title).axes("t", "loss")
        .add(Series.line("L1", x, y1, Palette.MECH1).withOffset(0.1))
        .add(Series.line("L2", x, y2, Palette.MECH2))
        .add(Series.markers("data", x, y2, Palette.light(Palette.MECH2)))
        .marker(4000, "mech. 1 learned")
        .marker(5000, "crossing")
        .horizontalLine(0.5, "chance")
        .build();
  }

  @Test
  void writesAllFormatsAtPrintResolution() throws Exception {
    List<Path> files = FigureWriter.write(samplePanel("one"), dir.resolve("fig"), FigureWriter.ALL);
    assertEquals(3, files.size());
    for (Path f : files) {
      assertTrue(Files.size(f) > 1000, f + " is too small to hold a chart");
    }
    BufferedImage img = ImageIO.read(dir.resolve("fig.png").toFile());
    assertEquals(1280, img.getWidth());
    assertEquals(880, img.getHeight());
    assertTrue(Files.readString(dir.resolve("fig.svg")).contains("<svg"));
    assertTrue(Files.readString(dir.resolve("fig.pdf"), java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("%PDF"));
    try (var s = Files.list(dir)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left behind");
    }
  }

  @Test
  void sideBySidePanelsShareOneImage() throws Exception {
    FigureWriter.writePanels(List.of(samplePanel("left"), samplePanel("right")), dir.resolve("two"), FigureWriter.PNG_SVG);
    BufferedImage img = ImageIO.read(dir.resolve("two.png").toFile());
    assertEquals(2 * 1280, img.getWidth());
  }

  @Test
  void heatmapRenders() throws Exception {
    Heatmap h = new Heatmap("phase", "alpha", "nd", "fraction transient",
        new double[] {0, 0.1, 0.3}, new double[] {80, 160}, new double[][] {{0, 1}, {0.5, 0.2}, {1, 0}}, 0, 1);
    FigureWriter.write(h, dir.resolve("phase"), FigureWriter.PNG_SVG);
    assertTrue(Files.size(dir.resolve("phase.png")) > 1000);
  }

  @Test
  void logAxesDropPointsTheyCannotShow() {
    double[][] xy = FigureWriter.plottable(new double[] {0, 1, 2, 3}, new double[] {1, -1, Double.NaN, 4}, true, true);
    assertArrayEquals(new double[] {3}, xy[0]);
    assertArrayEquals(new double[] {4}, xy[1]);
  }

  @Test
  void offsetIsAppliedAndNamedInLegend() {
    Series s = Series.line("L1", new double[] {0, 1}, new double[] {0.2, 0.3}, Palette.MECH1).withOffset(0.1);
    assertArrayEquals(new double[] {0.30000000000000004, 0.4}, s.shiftedY(), 1e-12);
    assertEquals("L1 + 0.1", s.label());
  }

  @Test
  void linearTickPatternsKeepTicksATenthOfTheSpanApartDistinct() {
    for (double span : new double[] {1e-4, 3e-3, 0.5, 2, 7}) {
      java.text.DecimalFormat f = new java.text.DecimalFormat(FigureWriter.linearPattern(span),
          java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT));
      assertTrue(!f.format(0.0).equals(f.format(span / 10)), span + ": " + f.format(0.0) + " vs " + f.format(span / 10));
    }
    assertEquals("#,##0.###", FigureWriter.linearPattern(3e6), "large spans: thousands separators, no decimals shown");
  }
}
