package coopetition.comparison.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.hipparchus.distribution.continuous.FDistribution;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;
import org.hipparchus.random.RandomGenerator;
import org.hipparchus.random.Well19937c;

/**
 * Parameter sets that fit the curves about as well as the best fit: the points of the 95% likelihood
 * region for one derived quantity (a forecast crossing, say), {@code SSE ≤ SSE_min · (1 + F(1, m − p;
 * 0.95) / (m − p))}, found by drawing proposals around the optimum from its Gaussian approximation
 * (at several widths, since the region is curved) and keeping those inside. The range of any
 * function of the parameters over these sets approximates its profile-likelihood interval.
 *
 * <p>m is the effective number of points: the residuals of the toy against a transformer are
 * strongly correlated in time (the misfit is systematic, not noise), so m = n(1 − ρ)/(1 + ρ) with ρ
 * their lag-1 autocorrelation. Treating correlated residuals as independent would make the region,
 * and every interval derived from it, far too narrow.
 */
public final class PlausibleFits {
  private static final double FD_STEP = 1e-5;

  private PlausibleFits() {}

  /** One plausible parameter set, physical units, with its affine maps (rows in role order). */
  public record Sample(double[] toyValues, double tau, double t0, double[][] affine, double weightedSse) {
    /** Curve r's mapped value from its toy curve and its interference partner's (ignored without a term). */
    public double mapped(int r, double toy, double partner) {
      return Objective.mapped(affine[r], toy, partner);
    }
  }

  /**
   * @param samples the best fit first, then every accepted proposal
   * @param proposals how many proposals were drawn
   * @param effectivePoints m, the residuals' effective number of independent points
   * @param sseLimit the region's bound on the weighted SSE
   */
  public record Result(List<Sample> samples, int proposals, double effectivePoints, double sseLimit) {}

  /** Draws {@code proposals} candidates around the fit {@code r} of {@code obs} and keeps the plausible ones. */
  public static Result draw(ToyCurves model, Observations obs, FitSettings s, Map<String, Double> fixedValues,
      FitResult r, int proposals, long seed) {
    List<FitParameter> params = ToyFitter.parameters(model, obs, s);
    double[] fixed = new double[params.size()];
    Arrays.fill(fixed, Double.NaN);
    List<String> names = params.stream().map(FitParameter::name).toList();
    fixedValues.forEach((k, v) -> fixed[names.indexOf(k)] = v);
    Objective obj = new Objective(model, r.variantIndex(), obs.roles(), obs.partners(), new FitParameters(params), fixed,
        new AtomicLong());
    Objective.Data data = Objective.Data.of(obs.sampled(), obs.full());
    int[] free = obj.freeIndices();
    int p = free.length;
    double[] phys = new double[params.size()];
    System.arraycopy(r.toyValues(), 0, phys, 0, r.toyValues().length);
    phys[params.size() - 2] = r.tau();
    phys[params.size() - 1] = r.t0();
    double[] u = new double[p];
    for (int j = 0; j < p; j++) {
      u[j] = params.get(free[j]).toUnit(phys[free[j]]);
    }
    Objective.Eval best = obj.eval(u, data);
    List<Sample> out = new ArrayList<>();
    out.add(sample(obj, u, best));
    double m = effectivePoints(best.residuals(), data);
    double dof = Math.max(1, m - p - FitProblem.mapCount(obs));
    double limit = best.sse() * (1 + new FDistribution(1, dof).inverseCumulativeProbability(0.95) / dof);
    double[][] root = covarianceRoot(obj, data, u, best.sse() / dof * (data.n / m));
    if (root == null) {
      return new Result(out, 0, m, limit);
    }
    RandomGenerator rng = new Well19937c(seed);
    // The region is curved and the Gaussian approximation of its size rough: adapt the proposal
    // width so that about a third of the proposals land inside.
    double w = 1.0;
    int batchTried = 0;
    int batchIn = 0;
    for (int k = 0; k < proposals; k++) {
      if (batchTried == 20) {
        double rate = (double) batchIn / batchTried;
        w *= rate < 0.15 ? 0.5 : rate > 0.5 ? 1.6 : 1.0;
        batchTried = 0;
        batchIn = 0;
      }
      batchTried++;
      double[] z = new double[p];
      for (int j = 0; j < p; j++) {
        z[j] = rng.nextGaussian();
      }
      double[] v = new double[p];
      for (int a = 0; a < p; a++) {
        double d = 0;
        for (int b = 0; b < p; b++) {
          d += root[a][b] * z[b];
        }
        v[a] = Math.min(1, Math.max(0, u[a] + w * d));
      }
      Objective.Eval e = obj.eval(v, data);
      if (e.ok() && e.sse() <= limit) {
        out.add(sample(obj, v, e));
        batchIn++;
      }
    }
    return new Result(out, proposals, m, limit);
  }

  private static Sample sample(Objective obj, double[] u, Objective.Eval e) {
    double[] ph = obj.physical(u);
    int m = ph.length;
    return new Sample(Arrays.copyOf(ph, m - 2), ph[m - 2], ph[m - 1], e.affine(), e.sse());
  }

  /** n(1 − ρ)/(1 + ρ), ρ the lag-1 autocorrelation of the residuals within each curve (≥ 0). */
  static double effectivePoints(double[] res, Objective.Data d) {
    double num = 0;
    double den = 0;
    int k = 0;
    for (double[] xc : d.x) {
      for (int i = 0; i < xc.length; i++) {
        den += res[k + i] * res[k + i];
        if (i > 0) {
          num += res[k + i] * res[k + i - 1];
        }
      }
      k += xc.length;
    }
    double rho = den > 0 ? Math.max(0, Math.min(0.98, num / den)) : 0;
    return d.n * (1 - rho) / (1 + rho);
  }

  /**
   * A square root R of the covariance s²(JᵀJ)⁻¹ of the free unit parameters (RRᵀ = covariance), J the
   * Jacobian of the projected residuals (affine maps re-solved, so their uncertainty is included).
   * Directions the data do not determine (tiny singular values) are capped at the box width.
   */
  private static double[][] covarianceRoot(Objective obj, Objective.Data data, double[] u, double s2) {
    int p = u.length;
    double[][] jac = new double[data.n][p];
    for (int j = 0; j < p; j++) {
      double[] up = u.clone();
      double[] dn = u.clone();
      up[j] = Math.min(1, u[j] + FD_STEP);
      dn[j] = Math.max(0, u[j] - FD_STEP);
      double h = up[j] - dn[j];
      Objective.Eval a = obj.eval(up, data);
      Objective.Eval b = obj.eval(dn, data);
      if (!a.ok() || !b.ok() || h <= 0) {
        return null;
      }
      for (int i = 0; i < data.n; i++) {
        jac[i][j] = (a.residuals()[i] - b.residuals()[i]) / h;
      }
    }
    RealMatrix jm = new Array2DRowRealMatrix(jac, false);
    SingularValueDecomposition svd = new SingularValueDecomposition(jm);
    double[] sv = svd.getSingularValues();
    RealMatrix v = svd.getV();
    double[][] root = new double[p][p];
    for (int q = 0; q < sv.length; q++) {
      double sd = sv[q] > 0 ? Math.min(1.0, Math.sqrt(s2) / sv[q]) : 1.0;
      for (int a = 0; a < p; a++) {
        root[a][q] = v.getEntry(a, q) * sd;
      }
    }
    return root;
  }
}
