package coopetition.figures;

/**
 * A phase diagram: {@code values[i][j]} at (xValues[i], yValues[j]), e.g. the fraction of seeds in
 * which mechanism 1 is transient over an alpha x nd grid.
 */
public record Heatmap(String title, String xLabel, String yLabel, String valueLabel,
    double[] xValues, double[] yValues, double[][] values, double min, double max) {

  public Heatmap {
    if (values.length != xValues.length) {
      throw new IllegalArgumentException("heatmap rows " + values.length + " != x values " + xValues.length);
    }
    for (double[] row : values) {
      if (row.length != yValues.length) {
        throw new IllegalArgumentException("heatmap columns " + row.length + " != y values " + yValues.length);
      }
    }
  }
}
