package coopetition.comparison.fit;

/**
 * A weighted least-squares problem in the unit box, as the local polish sees it: residual =
 * target − model value. One run's {@link Objective} is one ({@link #of}); a joint fit across runs
 * ({@link JointObjective}) is another, whose Jacobian is block-sparse.
 */
interface ResidualModel {
  /** The weighted data the model values are compared with. */
  double[] target();

  /** Residuals and their sum of squares at u (a point where the toy cannot be solved gets a finite penalty). */
  Fitted at(double[] u);

  /** d residuals / d u, rows × u.length. */
  double[][] jacobian(double[] u);

  /** Residuals at a point and their sum of squares. */
  record Fitted(double[] residuals, double sse) {}

  /** One run's objective over its data. */
  static ResidualModel of(Objective obj, Objective.Data data) {
    double[] target = new double[data.n];
    int k = 0;
    for (int c = 0; c < data.x.length; c++) {
      for (double y : data.y[c]) {
        target[k++] = data.w[c] * y;
      }
    }
    return new ResidualModel() {
      @Override
      public double[] target() {
        return target;
      }

      @Override
      public Fitted at(double[] u) {
        Objective.Eval e = obj.eval(u, data);
        return new Fitted(e.residuals(), e.sse());
      }

      @Override
      public double[][] jacobian(double[] u) {
        return FiniteDifference.jacobian(v -> obj.eval(v, data).residuals(), u, data.n);
      }
    };
  }
}
