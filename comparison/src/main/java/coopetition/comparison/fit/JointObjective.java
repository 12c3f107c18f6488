package coopetition.comparison.fit;

import java.util.ArrayList;
import java.util.List;

/**
 * The objective of a joint fit across runs: every run's own {@link Objective} (its variant, its
 * curves, its affine maps by variable projection), evaluated at its slice of the joint vector
 * ({@link JointLayout}); residuals are the runs' residuals one after the other. The Jacobian is
 * block-sparse: a run's own parameter moves only that run's residuals, so only that run is re-solved.
 */
final class JointObjective implements ResidualModel {
  private final List<Objective> runs;
  private final List<Objective.Data> data;
  private final JointLayout layout;
  private final int[] rowStart;
  private final double[] target;

  JointObjective(List<Objective> runs, List<Objective.Data> data, JointLayout layout) {
    this.runs = List.copyOf(runs);
    this.data = List.copyOf(data);
    this.layout = layout;
    this.rowStart = new int[runs.size() + 1];
    for (int r = 0; r < runs.size(); r++) {
      rowStart[r + 1] = rowStart[r] + data.get(r).n;
    }
    this.target = new double[rowStart[runs.size()]];
    for (int r = 0; r < runs.size(); r++) {
      System.arraycopy(ResidualModel.of(runs.get(r), data.get(r)).target(), 0, target, rowStart[r], data.get(r).n);
    }
  }

  JointLayout layout() {
    return layout;
  }

  int rows() {
    return target.length;
  }

  @Override
  public double[] target() {
    return target;
  }

  /** Each run's evaluation at its slice of u. */
  List<Objective.Eval> evalRuns(double[] u) {
    List<Objective.Eval> out = new ArrayList<>();
    for (int r = 0; r < runs.size(); r++) {
      out.add(runs.get(r).eval(layout.runVector(u, r), data.get(r)));
    }
    return out;
  }

  @Override
  public Fitted at(double[] u) {
    double[] res = new double[target.length];
    double sse = 0;
    List<Objective.Eval> evals = evalRuns(u);
    for (int r = 0; r < evals.size(); r++) {
      System.arraycopy(evals.get(r).residuals(), 0, res, rowStart[r], data.get(r).n);
      sse += evals.get(r).sse();
    }
    return new Fitted(res, sse);
  }

  /** Central differences in the unit box (one-sided at an edge), re-solving only the runs a column moves. */
  @Override
  public double[][] jacobian(double[] u) {
    double[][] jac = new double[target.length][u.length];
    for (int c = 0; c < u.length; c++) {
      double[] up = u.clone();
      double[] dn = u.clone();
      up[c] = Math.min(1, u[c] + FiniteDifference.STEP);
      dn[c] = Math.max(0, u[c] - FiniteDifference.STEP);
      double h = up[c] - dn[c];
      for (int r = 0; r < runs.size(); r++) {
        if (layout.columnRun()[c] >= 0 && layout.columnRun()[c] != r) {
          continue;
        }
        double[] a = runs.get(r).eval(layout.runVector(up, r), data.get(r)).residuals();
        double[] b = runs.get(r).eval(layout.runVector(dn, r), data.get(r)).residuals();
        for (int i = 0; i < a.length; i++) {
          jac[rowStart[r] + i][c] = (a[i] - b[i]) / h;
        }
      }
    }
    return jac;
  }

  /** Rows [from, to) of run r in the joint residual vector. */
  int rowStart(int r) {
    return rowStart[r];
  }
}
