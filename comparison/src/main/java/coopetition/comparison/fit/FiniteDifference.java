package coopetition.comparison.fit;

import java.util.function.Function;

/** The one finite-difference Jacobian of the fit, in the unit box of the free parameters. */
final class FiniteDifference {
  /** Step in unit coordinates: small against the box, large against the solver's 1e-8 tolerance. */
  static final double STEP = 1e-5;

  private FiniteDifference() {}

  /**
   * Central differences of {@code f} at {@code u}, {@code rows} × {@code u.length}; a step that
   * would leave [0, 1] is cut at the edge (one-sided there). A column where {@code f} cannot be
   * evaluated (the toy blows up) stays zero, which the covariance reads as "not identifiable".
   */
  static double[][] jacobian(Function<double[], double[]> f, double[] u, int rows) {
    double[][] jac = new double[rows][u.length];
    for (int j = 0; j < u.length; j++) {
      double[] up = u.clone();
      double[] dn = u.clone();
      up[j] = Math.min(1, u[j] + STEP);
      dn[j] = Math.max(0, u[j] - STEP);
      double h = up[j] - dn[j];
      double[] a;
      double[] b;
      try {
        a = f.apply(up);
        b = f.apply(dn);
      } catch (RuntimeException e) { // the toy cannot be solved here (blow-up, integrator failure)
        continue;
      }
      for (int i = 0; i < rows; i++) {
        jac[i][j] = (a[i] - b[i]) / h;
      }
    }
    return jac;
  }
}
