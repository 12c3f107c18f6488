package coopetition.comparison.fit;

import java.util.Arrays;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;

/**
 * s² (JᵀJ)⁻¹ at an optimum, with J the weighted Jacobian over the free nonlinear parameters (affine
 * maps held at their optimum) plus the map columns (scale and offset of each of the K curves, and the
 * interference of a curve that has one), and s² = SSE / dof. Columns: the free parameters in order,
 * then scale, offset (and interference) per curve.
 *
 * @param matrix the covariance in unit coordinates (affine columns in data units); all +∞ when J is singular
 * @param condition the condition number of J; huge means some combination is not identifiable
 * @param freeCount how many leading columns belong to free parameters
 */
record Covariance(double[][] matrix, double condition, int freeCount, int[] mapStart) {
  Covariance(double[][] matrix, double condition, int freeCount) {
    this(matrix, condition, freeCount, null);
  }

  /** Variance of free parameter j (unit coordinates). */
  double variance(int j) {
    return matrix[j][j];
  }

  /** Variance of curve c's scale (q = 0), offset (q = 1) or interference (q = 2). */
  double affineVariance(int c, int q) {
    int i = mapStart == null ? freeCount + 2 * c + q : mapStart[c] + q;
    return matrix[i][i];
  }

  /** Covariance of free parameters a and j. */
  double get(int a, int j) {
    return matrix[a][j];
  }

  static Covariance at(Objective obj, Objective.Data data, double[] u, Objective.Eval at, int dof) {
    int p = obj.freeCount();
    int k = data.x.length;
    int[] start = new int[k];
    int cols = p;
    for (int c = 0; c < k; c++) {
      start[c] = cols;
      cols += at.affine()[c].length;
    }
    double[][] nonlinear = FiniteDifference.jacobian(v -> obj.weightedPrediction(v, at.affine(), data), u, data.n);
    double[][] jac = new double[data.n][cols];
    for (int i = 0; i < data.n; i++) {
      System.arraycopy(nonlinear[i], 0, jac[i], 0, p);
    }
    int row = 0;
    for (int c = 0; c < k; c++) {
      for (int i = 0; i < data.x[c].length; i++) {
        jac[row][start[c]] = data.w[c] * at.toy()[c][data.at[c][i]];
        jac[row][start[c] + 1] = data.w[c];
        if (at.affine()[c].length > 2) {
          jac[row][start[c] + 2] = data.w[c] * at.partner()[c][data.at[c][i]];
        }
        row++;
      }
    }
    Covariance cov = ofJacobian(jac, at.sse(), dof, p);
    return new Covariance(cov.matrix(), cov.condition(), p, start);
  }

  /**
   * s² (JᵀJ)⁻¹ of any weighted Jacobian, s² = SSE / dof; a joint fit across runs passes the Jacobian of
   * its projected residuals (affine maps re-solved), whose inverse is the nonlinear parameters'
   * marginal covariance.
   */
  static Covariance ofJacobian(double[][] jac, double sse, int dof, int p) {
    int cols = jac[0].length;
    SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(jac, false));
    double[] sv = svd.getSingularValues();
    double cond = sv[sv.length - 1] > 0 ? sv[0] / sv[sv.length - 1] : Double.POSITIVE_INFINITY;
    double s2 = sse / dof;
    double[][] m = new double[cols][cols];
    if (sv[sv.length - 1] <= sv[0] * 1e-14) {
      for (double[] r : m) {
        Arrays.fill(r, Double.POSITIVE_INFINITY);
      }
      return new Covariance(m, cond, p);
    }
    RealMatrix v = svd.getV();
    for (int a = 0; a < cols; a++) {
      for (int b = 0; b < cols; b++) {
        double sum = 0;
        for (int q = 0; q < cols; q++) {
          sum += v.getEntry(a, q) * v.getEntry(b, q) / (sv[q] * sv[q]);
        }
        m[a][b] = s2 * sum;
      }
    }
    return new Covariance(m, cond, p);
  }
}
