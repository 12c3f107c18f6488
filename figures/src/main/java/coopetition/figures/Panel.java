package coopetition.figures;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One chart: series, axes and annotations. Immutable; build with {@link #builder(String)}.
 * Several panels side by side make one figure ({@link FigureWriter#writePanels}).
 */
public record Panel(
    String title,
    String xLabel,
    String yLabel,
    boolean logX,
    boolean logY,
    List<Series> series,
    List<Marker> markers,
    double[] xRange,
    double[] yRange,
    Double horizontalLine,
    String horizontalLineLabel,
    Legend legend) {

  /** Where the legend goes. */
  public enum Legend {
    /** Inside the plot's top-right corner (the default). */
    INSIDE,
    /** Right of the plot, so it never covers a curve. */
    OUTSIDE,
    /** None: e.g. all but one panel of a figure whose panels share a legend. */
    NONE
  }

  public Panel {
    Objects.requireNonNull(title);
    series = List.copyOf(series);
    markers = List.copyOf(markers);
  }

  public static Builder builder(String title) {
    return new Builder(title);
  }

  /** Fluent builder; every option has a sensible default. */
  public static final class Builder {
    private final String title;
    private String xLabel = "x";
    private String yLabel = "y";
    private boolean logX;
    private boolean logY;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private double[] xRange;
    private double[] yRange;
    private Legend legend = Legend.INSIDE;
    private Double hLine;
    private String hLineLabel;

    private Builder(String title) {
      this.title = title;
    }

    public Builder axes(String x, String y) {
      this.xLabel = x;
      this.yLabel = y;
      return this;
    }

    public Builder logX(boolean on) {
      this.logX = on;
      return this;
    }

    public Builder logY(boolean on) {
      this.logY = on;
      return this;
    }

    public Builder add(Series s) {
      series.add(s);
      return this;
    }

    public Builder addAll(List<Series> s) {
      series.addAll(s);
      return this;
    }

    public Builder marker(double x, String label) {
      markers.add(new Marker(x, label));
      return this;
    }

    public Builder xRange(double min, double max) {
      this.xRange = new double[] {min, max};
      return this;
    }

    public Builder yRange(double min, double max) {
      this.yRange = new double[] {min, max};
      return this;
    }

    public Builder legend(Legend where) {
      this.legend = Objects.requireNonNull(where);
      return this;
    }

    /** A dashed grey reference line, e.g. chance at 0.5. */
    public Builder horizontalLine(double y, String label) {
      this.hLine = y;
      this.hLineLabel = label;
      return this;
    }

    public Panel build() {
      return new Panel(title, xLabel, yLabel, logX, logY, series, markers, xRange, yRange, hLine, hLineLabel,
          legend);
    }
  }
}
