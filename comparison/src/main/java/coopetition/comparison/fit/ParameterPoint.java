package coopetition.comparison.fit;

/**
 * A point of the free parameters in unit coordinates (see {@link FitParameter#toUnit}) with the
 * weighted sum of squared errors the objective gives there.
 */
record ParameterPoint(double[] unit, double sse) {
  ParameterPoint {
    unit = unit.clone();
  }

  @Override
  public double[] unit() {
    return unit.clone();
  }

  /**
   * The lowest-SSE point an optimiser has evaluated. Both CMA-ES and Levenberg–Marquardt may end on
   * a worse point than one they visited (a rejected step, a spent budget), so they report this one.
   */
  static final class Best {
    private final double[] unit;
    private double sse;

    Best(double[] start, double sse) {
      this.unit = start.clone();
      this.sse = sse;
    }

    /** Keeps {@code u} if it is strictly better than the best so far. */
    void offer(double[] u, double value) {
      if (value < sse) {
        System.arraycopy(u, 0, unit, 0, unit.length);
        sse = value;
      }
    }

    double sse() {
      return sse;
    }

    ParameterPoint point() {
      return new ParameterPoint(unit, sse);
    }
  }
}
