package coopetition.comparison.fit;

/**
 * Least squares of y ≈ s·f + x·g + o with s and x each held in an interval (the offset free): the map
 * of a run curve that answers to its own toy curve f and, through an interference term, to a partner
 * toy curve g. With the offset profiled out the SSE is a convex quadratic in (s, x); its minimum over
 * the box is the unconstrained one if that lies inside, else on an edge, where it is the
 * one-dimensional optimum clamped to the edge. So the exact answer is the best of at most five
 * candidates, in closed form.
 */
final class MapSolver {
  private MapSolver() {}

  /**
   * @param sA one end of the scale's interval (sA, sB of one sign)
   * @param sB the other end
   * @param xEnd the interference's far end; its interval runs from 0 to xEnd (either sign)
   * @return {scale, offset, interference}
   */
  static double[] withInterference(double[] f, double[] g, double[] y, double sA, double sB, double xEnd) {
    int n = f.length;
    double mf = mean(f);
    double mg = mean(g);
    double my = mean(y);
    double ff = 0;
    double fg = 0;
    double gg = 0;
    double fy = 0;
    double gy = 0;
    for (int i = 0; i < n; i++) {
      double a = f[i] - mf;
      double b = g[i] - mg;
      double c = y[i] - my;
      ff += a * a;
      fg += a * b;
      gg += b * b;
      fy += a * c;
      gy += b * c;
    }
    Box box = new Box(Math.min(sA, sB), Math.max(sA, sB), Math.min(0, xEnd), Math.max(0, xEnd));
    Quadratic q = new Quadratic(ff, fg, gg, fy, gy);
    double[] best = null;
    double det = ff * gg - fg * fg;
    if (det > 1e-12 * (ff * gg + 1e-300)) {
      double s = (fy * gg - gy * fg) / det;
      double x = (gy * ff - fy * fg) / det;
      if (box.contains(s, x)) {
        best = new double[] {s, x};
      }
    }
    if (best == null) {
      double[][] edges = {
        {box.sLo, q.bestX(box.sLo, box)}, {box.sHi, q.bestX(box.sHi, box)},
        {q.bestS(box.xLo, box), box.xLo}, {q.bestS(box.xHi, box), box.xHi}};
      for (double[] e : edges) {
        if (best == null || q.value(e[0], e[1]) < q.value(best[0], best[1])) {
          best = e;
        }
      }
    }
    return new double[] {best[0], my - best[0] * mf - best[1] * mg, best[1]};
  }

  private record Box(double sLo, double sHi, double xLo, double xHi) {
    boolean contains(double s, double x) {
      return s >= sLo && s <= sHi && x >= xLo && x <= xHi;
    }
  }

  /** SSE (up to a constant) of the centred problem: s²ff + 2sx·fg + x²gg − 2s·fy − 2x·gy. */
  private record Quadratic(double ff, double fg, double gg, double fy, double gy) {
    double value(double s, double x) {
      return s * s * ff + 2 * s * x * fg + x * x * gg - 2 * s * fy - 2 * x * gy;
    }

    /** Best x for a given s, clamped to the box (0 when g is flat). */
    double bestX(double s, Box b) {
      double x = gg > 0 ? (gy - s * fg) / gg : 0;
      return Math.min(b.xHi, Math.max(b.xLo, x));
    }

    /** Best s for a given x, clamped to the box. */
    double bestS(double x, Box b) {
      double s = ff > 0 ? (fy - x * fg) / ff : b.sLo;
      return Math.min(b.sHi, Math.max(b.sLo, s));
    }
  }

  private static double mean(double[] a) {
    double m = 0;
    for (double v : a) {
      m += v;
    }
    return m / a.length;
  }
}
