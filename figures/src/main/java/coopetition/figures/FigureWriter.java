package coopetition.figures;

import coopetition.common.AtomicFiles;
import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.Processor;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.pdf.PDFProcessor;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Renders {@link Panel}s and {@link Heatmap}s headlessly with XChart: PNG at print resolution (2x) and
 * SVG/PDF vector copies, several panels side by side in one figure. Every file is written atomically.
 */
public final class FigureWriter {
  /** Output formats; PNG is always useful for a quick look, SVG/PDF for papers. */
  public enum Format { PNG, SVG, PDF }

  public static final Set<Format> ALL = EnumSet.allOf(Format.class);
  public static final Set<Format> PNG_SVG = EnumSet.of(Format.PNG, Format.SVG);

  private static final int PANEL_WIDTH = 640;
  private static final int PANEL_HEIGHT = 440;
  private static final double PNG_SCALE = 2.0;

  private FigureWriter() {
    System.setProperty("java.awt.headless", "true");
  }

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** Writes {@code base}.png/.svg/.pdf (per {@code formats}); returns the files written. */
  public static List<Path> write(Panel panel, Path base, Set<Format> formats) {
    return writePanels(List.of(panel), base, formats);
  }

  public static List<Path> writePanels(List<Panel> panels, Path base, Set<Format> formats) {
    List<Chart<?, ?>> charts = new ArrayList<>();
    for (Panel p : panels) {
      charts.add(toChart(p));
    }
    return render(charts, base, formats);
  }

  public static List<Path> write(Heatmap heatmap, Path base, Set<Format> formats) {
    return render(List.of(toChart(heatmap)), base, formats);
  }

  /** Several heatmaps side by side in one figure. */
  public static List<Path> writeHeatmaps(List<Heatmap> heatmaps, Path base, Set<Format> formats) {
    List<Chart<?, ?>> charts = new ArrayList<>();
    for (Heatmap h : heatmaps) {
      charts.add(toChart(h));
    }
    return render(charts, base, formats);
  }

  /** The XChart chart for a panel, for callers that want to tweak it further. */
  public static XYChart toChart(Panel p) {
    XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
        .title(p.title()).xAxisTitle(p.xLabel()).yAxisTitle(p.yLabel()).build();
    Styler.LegendPosition legend = p.legend() == Panel.Legend.OUTSIDE ? Styler.LegendPosition.OutsideE
        : Styler.LegendPosition.InsideNE;
    org.knowm.xchart.style.XYStyler st = chart.getStyler();
    st.setPlotGridLinesColor(new Color(0xe6e6e6));
    st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    st.setXAxisLogarithmic(p.logX());
    st.setYAxisLogarithmic(p.logY());
    st.setXAxisDecimalPattern(p.logX() ? null : "#,##0.###");
    st.setLegendVisible(p.legend() != Panel.Legend.NONE);
    st.setLegendPosition(legend)
        .setLegendBackgroundColor(new Color(255, 255, 255, 210))
        .setChartBackgroundColor(Color.WHITE)
        .setPlotBackgroundColor(Color.WHITE)
        .setPlotBorderVisible(true)
        .setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15))
        .setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12))
        .setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11))
        .setAnnotationLineColor(Palette.EVENT)
        .setAnnotationLineStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f))
        .setAnnotationTextFontColor(Palette.EVENT)
        .setToolTipsEnabled(false);
    chart.getStyler().setXAxisLabelRotation(0);
    if (p.xRange() != null) {
      chart.getStyler().setXAxisMin(p.xRange()[0]).setXAxisMax(p.xRange()[1]);
    }
    if (p.yRange() != null) {
      chart.getStyler().setYAxisMin(p.yRange()[0]).setYAxisMax(p.yRange()[1]);
    }
    double xmin = Double.POSITIVE_INFINITY;
    double xmax = Double.NEGATIVE_INFINITY;
    for (Series s : p.series()) {
      double[][] xy = plottable(s.x(), s.shiftedY(), p.logX(), p.logY());
      if (xy[0].length == 0) {
        continue;
      }
      for (double v : xy[0]) {
        xmin = Math.min(xmin, v);
        xmax = Math.max(xmax, v);
      }
      XYSeries xs = chart.addSeries(uniqueName(chart, s.label()), xy[0], xy[1]);
      xs.setLineColor(s.color());
      xs.setMarkerColor(s.color());
      switch (s.style()) {
        case LINE -> {
          xs.setMarker(SeriesMarkers.NONE);
          xs.setLineStyle(new BasicStroke(2.0f));
        }
        case DASHED -> {
          xs.setMarker(SeriesMarkers.NONE);
          xs.setLineStyle(new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        }
        case MARKERS -> {
          xs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
          xs.setMarker(SeriesMarkers.CIRCLE);
        }
        case LINE_AND_MARKERS -> {
          xs.setMarker(SeriesMarkers.CIRCLE);
          xs.setLineStyle(new BasicStroke(1.5f));
        }
        case BAND -> {
          xs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
          xs.setMarker(SeriesMarkers.NONE);
          xs.setFillColor(new Color(s.color().getRed(), s.color().getGreen(), s.color().getBlue(), 60));
          xs.setLineColor(new Color(s.color().getRed(), s.color().getGreen(), s.color().getBlue(), 0));
          xs.setShowInLegend(false);
        }
        default -> throw new IllegalStateException();
      }
    }
    chart.getStyler().setMarkerSize(5);
    if (!p.logX() && xmin < xmax) {
      st.setXAxisDecimalPattern(linearPattern(p.xRange() != null ? p.xRange()[1] - p.xRange()[0] : xmax - xmin));
    }
    if (p.logX() && xmin > 0 && xmax / xmin < 100) {
      // within two decades a decades-only axis shows one label or none (e.g. classes 4096..12800)
      st.setXAxisLogarithmicDecadeOnly(false);
      st.setXAxisDecimalPattern(xmax >= 1e4 ? "#,##0" : null);
    }
    if (p.horizontalLine() != null && xmin <= xmax) {
      double lo = p.xRange() != null ? p.xRange()[0] : xmin;
      double hi = p.xRange() != null ? p.xRange()[1] : xmax;
      XYSeries h = chart.addSeries(p.horizontalLineLabel() == null ? "reference" : p.horizontalLineLabel(),
          new double[] {lo, hi}, new double[] {p.horizontalLine(), p.horizontalLine()});
      h.setMarker(SeriesMarkers.NONE);
      h.setLineColor(Palette.CHANCE);
      h.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f}, 0f));
    }
    // Marker labels sit just under the top of the data, staggered so neighbours stay readable.
    double ylo = Double.POSITIVE_INFINITY;
    double yhi = Double.NEGATIVE_INFINITY;
    for (Series s : p.series()) {
      for (double v : plottable(s.x(), s.shiftedY(), p.logX(), p.logY())[1]) {
        ylo = Math.min(ylo, v);
        yhi = Math.max(yhi, v);
      }
    }
    if (p.yRange() != null) {
      ylo = p.yRange()[0];
      yhi = p.yRange()[1];
    }
    if (!p.logY() && ylo <= yhi) {
      // XChart's default tick format prints 500000 as "5E5" and 0.05 as ".05".
      double big = Math.max(Math.abs(ylo), Math.abs(yhi));
      if (big >= 1e4) {
        st.setYAxisDecimalPattern("#,##0");
      } else if (big >= 0.1 && yhi - ylo >= 0.01) {
        st.setYAxisDecimalPattern("0.0##");
      }
    }
    int k = 0;
    for (Marker m : p.markers()) {
      if (p.logX() && m.x() <= 0) {
        continue;
      }
      chart.addAnnotation(new AnnotationLine(m.x(), true, false));
      if (m.label() != null && !m.label().isBlank() && ylo < yhi) {
        double frac = 0.04 + 0.07 * (k++ % 4);
        double y = p.logY() ? Math.exp(Math.log(yhi) - frac * (Math.log(yhi) - Math.log(ylo)))
            : yhi - frac * (yhi - ylo);
        chart.addAnnotation(new AnnotationText(m.label(), m.x(), y, false));
      }
    }
    return chart;
  }

  public static HeatMapChart toChart(Heatmap h) {
    HeatMapChart chart = new HeatMapChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
        .title(h.title()).xAxisTitle(h.xLabel()).yAxisTitle(h.yLabel()).build();
    org.knowm.xchart.style.HeatMapStyler st = chart.getStyler();
    st.setShowValue(true);
    // The colour bar prints its ends as given: round them outwards to the cells' two decimals.
    st.setMin(Math.floor(h.min() * 100.0) / 100.0);
    st.setMax(Math.ceil(h.max() * 100.0) / 100.0);
    st.setRangeColors(new Color[] {new Color(0xf7fbff), new Color(0x6baed6), new Color(0x08306b)});
    st.setChartBackgroundColor(Color.WHITE)
        .setLegendPosition(Styler.LegendPosition.OutsideE)
        .setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    List<Number> xs = new ArrayList<>();
    for (double v : h.xValues()) {
      xs.add(v);
    }
    List<Number> ys = new ArrayList<>();
    for (double v : h.yValues()) {
      ys.add(v);
    }
    List<Number[]> cells = new ArrayList<>();
    for (int i = 0; i < h.xValues().length; i++) {
      for (int j = 0; j < h.yValues().length; j++) {
        double v = Math.round(h.values()[i][j] * 100.0) / 100.0;
        cells.add(new Number[] {i, j, v});
      }
    }
    chart.addSeries(h.valueLabel(), xs, ys, cells);
    return chart;
  }

  /**
   * A tick format for a linear axis spanning {@code span}: thousands separators, and enough decimals that
   * ticks a tenth of the span apart print differently (a weight-decay axis 0..1e-4 printed every tick as "0").
   */
  static String linearPattern(double span) {
    if (!(span > 0) || span >= 10) {
      return "#,##0.###";
    }
    int decimals = Math.max(3, (int) Math.ceil(-Math.log10(span / 10)));
    return "#,##0." + "#".repeat(Math.min(decimals, 12));
  }

  private static List<Path> render(List<Chart<?, ?>> charts, Path base, Set<Format> formats) {
    int w = 0;
    int h = 0;
    for (Chart<?, ?> c : charts) {
      w += c.getWidth();
      h = Math.max(h, c.getHeight());
    }
    final int width = w;
    final int height = h;
    List<Path> written = new ArrayList<>();
    for (Format f : formats) {
      Path out = base.resolveSibling(base.getFileName() + "." + f.name().toLowerCase());
      switch (f) {
        case PNG -> AtomicFiles.write(out, os -> {
          BufferedImage img = new BufferedImage((int) (width * PNG_SCALE), (int) (height * PNG_SCALE), BufferedImage.TYPE_INT_RGB);
          Graphics2D g = img.createGraphics();
          g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
          g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
          g.setColor(Color.WHITE);
          g.fillRect(0, 0, img.getWidth(), img.getHeight());
          g.scale(PNG_SCALE, PNG_SCALE);
          paintAll(g, charts);
          g.dispose();
          ImageIO.write(img, "png", os);
        });
        case SVG, PDF -> AtomicFiles.write(out, os -> {
          VectorGraphics2D g = new VectorGraphics2D();
          paintAll(g, charts);
          Processor proc = f == Format.SVG ? new SVGProcessor() : new PDFProcessor(true);
          Document doc = proc.getDocument(g.getCommands(), new PageSize(0, 0, width, height));
          doc.writeTo(os);
        });
        default -> throw new IllegalStateException();
      }
      written.add(out);
    }
    return written;
  }

  private static void paintAll(Graphics2D g, List<Chart<?, ?>> charts) {
    int x = 0;
    for (Chart<?, ?> c : charts) {
      Graphics2D sub = (Graphics2D) g.create();
      sub.translate(x, 0);
      c.paint(sub, c.getWidth(), c.getHeight());
      sub.dispose();
      x += c.getWidth();
    }
  }

  /** Drops points a log axis cannot show and non-finite values, which XChart rejects. */
  static double[][] plottable(double[] x, double[] y, boolean logX, boolean logY) {
    int n = 0;
    for (int i = 0; i < x.length; i++) {
      if (keep(x[i], y[i], logX, logY)) {
        n++;
      }
    }
    double[] xo = new double[n];
    double[] yo = new double[n];
    int k = 0;
    for (int i = 0; i < x.length; i++) {
      if (keep(x[i], y[i], logX, logY)) {
        xo[k] = x[i];
        yo[k] = y[i];
        k++;
      }
    }
    return new double[][] {xo, yo};
  }

  private static boolean keep(double x, double y, boolean logX, boolean logY) {
    return Double.isFinite(x) && Double.isFinite(y) && (!logX || x > 0) && (!logY || y > 0);
  }

  private static String uniqueName(XYChart chart, String name) {
    String n = name;
    int i = 2;
    while (chart.getSeriesMap().containsKey(n)) {
      n = name + " (" + i++ + ")";
    }
    return n;
  }
}
