package coopetition.comparison.fit;

import coopetition.comparison.fit.FitResult.Estimate;
import java.util.ArrayList;
import java.util.List;
import org.hipparchus.distribution.continuous.TDistribution;

/**
 * A fitted sharing hypothesis, run by run, as {@link FitResult}s: every parameter with its Wald
 * interval from the joint covariance (s²(JᵀJ)⁻¹ of the projected residuals, so the affine maps'
 * uncertainty is included), the simultaneous ones Bonferroni over every joint parameter, and each
 * run's curves with R² and RMSE on all their points.
 */
final class JointAssembly {
  private static final double EDGE = 1e-3;

  private JointAssembly() {}

  static List<FitResult> perRun(JointProblem problem, HypothesisFit h, int dof, long solves, double wallSeconds) {
    double[] u = h.point().unit();
    JointObjective obj = h.objective();
    JointLayout layout = obj.layout();
    Covariance cov = Covariance.ofJacobian(obj.jacobian(u), h.sse(), dof, u.length);
    TDistribution t = new TDistribution(dof);
    double single = t.inverseCumulativeProbability(0.975);
    double joint = t.inverseCumulativeProbability(1 - 0.025 / u.length);
    List<FitResult> out = new ArrayList<>();
    for (int r = 0; r < layout.runs(); r++) {
      Objective o = problem.objective(r);
      FitProblem fp = problem.problems().get(r);
      double[] ur = layout.runVector(u, r);
      Objective.Eval at = o.eval(ur, fp.data());
      FitParameters params = fp.params();
      double[] phys = o.physical(ur);
      double[] lo = phys.clone();
      double[] hi = phys.clone();
      double[] jlo = phys.clone();
      double[] jhi = phys.clone();
      List<String> notes = new ArrayList<>();
      List<Estimate> est = new ArrayList<>();
      for (int i = 0; i < params.size(); i++) {
        FitParameter p = params.get(i);
        int j = o.freePosition(i);
        if (j < 0) {
          est.add(new Estimate(p.name(), p.description(), phys[i], phys[i], phys[i], phys[i], phys[i], Double.NaN,
              Double.NaN, true, false));
          continue;
        }
        double se = Math.sqrt(cov.variance(layout.index()[r][j]));
        boolean ok = Double.isFinite(se);
        lo[i] = ok ? p.fromUnit(ur[j] - single * se) : Double.NEGATIVE_INFINITY;
        hi[i] = ok ? p.fromUnit(ur[j] + single * se) : Double.POSITIVE_INFINITY;
        jlo[i] = ok ? p.fromUnit(ur[j] - joint * se) : Double.NEGATIVE_INFINITY;
        jhi[i] = ok ? p.fromUnit(ur[j] + joint * se) : Double.POSITIVE_INFINITY;
        boolean edge = ur[j] < EDGE || ur[j] > 1 - EDGE;
        if (edge) {
          notes.add(p.name() + " is at the edge of its search box [" + p.lower() + ", " + p.upper() + "]");
        }
        est.add(new Estimate(p.name(), p.description(), phys[i], lo[i], hi[i], jlo[i], jhi[i], Double.NaN, Double.NaN,
            false, edge));
      }
      int k = at.affine().length;
      double[][] nan = new double[k][];
      for (int c = 0; c < k; c++) {
        nan[c] = new double[at.affine()[c].length];
        java.util.Arrays.fill(nan[c], Double.NaN);
      }
      Intervals iv = new Intervals(lo, hi, jlo, jhi, nan, nan, cov.condition());
      List<FitResult.CurveFit> curves = ResultAssembly.curveFits(o, fp.obs(), ur, at, iv, notes);
      out.add(new FitResult(problem.model().variants().get(problem.variants()[r]), problem.variants()[r], est, curves,
          params.toyValues(phys), params.tau(phys), params.t0(phys), at.sse(), fp.data().n, dof,
          Math.sqrt(h.sse() / dof), cov.condition(), List.of(), 0, solves, wallSeconds, notes));
    }
    return out;
  }
}
