package coopetition.comparison.fit;

import coopetition.comparison.fit.FitResult.CandidateScore;
import coopetition.comparison.fit.FitResult.CurveFit;
import coopetition.comparison.fit.FitResult.Estimate;
import coopetition.comparison.runs.Curve;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Puts a {@link FitResult} together: every parameter's estimate, every curve's fit, and the notes a reader needs. */
final class ResultAssembly {
  private ResultAssembly() {}

  /** A free parameter this close to its box edge (unit coordinates) is reported as at the edge. */
  private static final double EDGE = 1e-3;
  /** Jacobian condition number above which the intervals come with a warning. */
  private static final double ILL_CONDITIONED = 1e10;

  /** The best SSE each variant reached, over its global-search runs and their polished optima. */
  static List<CandidateScore> candidateScores(FitProblem problem, List<Candidate> found, List<Candidate> polished) {
    Candidate[] best = new Candidate[problem.objectives().size()];
    for (List<Candidate> list : List.of(found, polished)) {
      for (Candidate c : list) {
        if (best[c.variant()] == null || c.sse() < best[c.variant()].sse()) {
          best[c.variant()] = c;
        }
      }
    }
    List<CandidateScore> out = new ArrayList<>();
    for (int v = 0; v < best.length; v++) {
      out.add(new CandidateScore(problem.variantName(v), best[v].sse()));
    }
    return out;
  }

  static FitResult assemble(FitProblem problem, Candidate best, Objective.Eval at, ConfidenceSet set, Bootstrap boot,
      List<CandidateScore> candidates, long startNanos) {
    Objective obj = problem.objective(best.variant());
    FitParameters params = problem.params();
    Intervals iv = set.intervals();
    double[] u = best.point().unit();
    double[] phys = obj.physical(u);
    List<String> notes = new ArrayList<>(set.notes());
    List<Estimate> estimates = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      FitParameter fp = params.get(i);
      int j = obj.freePosition(i);
      if (j < 0) {
        estimates.add(new Estimate(fp.name(), fp.description(), phys[i], phys[i], phys[i], phys[i], phys[i],
            Double.NaN, Double.NaN, true, false));
        continue;
      }
      boolean atBound = u[j] < EDGE || u[j] > 1 - EDGE;
      if (atBound) {
        notes.add(fp.name() + " is at the edge of its search box [" + fp.lower() + ", " + fp.upper()
            + "]; its interval assumes an interior optimum");
      }
      if (!Double.isFinite(iv.lower()[i]) || !Double.isFinite(iv.upper()[i])) {
        notes.add(fp.name() + " is not identifiable from these curves (singular Jacobian)");
      }
      Bootstrap.Percentiles bq = boot.percentiles(j, fp);
      estimates.add(new Estimate(fp.name(), fp.description(), phys[i], iv.lower()[i], iv.upper()[i],
          iv.jointLower()[i], iv.jointUpper()[i], bq.lower(), bq.upper(), false, atBound));
    }
    if (iv.condition() > ILL_CONDITIONED) {
      notes.add(String.format("Jacobian condition number %.2e: some parameter combinations are nearly "
          + "unidentifiable; read the intervals with care", iv.condition()));
    }
    List<CurveFit> curves = curveFits(obj, problem.obs(), u, at, iv, notes);
    int dof = problem.dof();
    double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
    return new FitResult(problem.variantName(best.variant()), best.variant(), estimates, curves,
        params.toyValues(phys), params.tau(phys), params.t0(phys), at.sse(), problem.data().n, dof,
        Math.sqrt(at.sse() / dof), iv.condition(), candidates, boot.size(), problem.solves().get(), wallSeconds,
        notes);
  }

  /** Each curve's affine map with its intervals, and R² and RMSE on all of the curve's points. */
  static List<CurveFit> curveFits(Objective obj, Observations obs, double[] u, Objective.Eval at,
      Intervals iv, List<String> notes) {
    Objective.Data full = Objective.Data.of(obs.full(), obs.full());
    Objective.ToyValues tv = obj.toyWithRange(obj.physical(u), full.ux);
    double[][] toy = tv.curves();
    ToyCurve[] partners = obs.partners();
    List<CurveFit> out = new ArrayList<>();
    for (int c = 0; c < obs.roles().size(); c++) {
      double s = at.affine()[c][0];
      double o = at.affine()[c][1];
      Curve cv = obs.full().get(c);
      double mean = Arrays.stream(cv.y()).average().orElse(0);
      double ssr = 0;
      double sst = 0;
      for (int i = 0; i < cv.size(); i++) {
        int j = full.at[c][i];
        double pred = Objective.mapped(at.affine()[c], toy[c][j], tv.partner()[c] == null ? 0 : tv.partner()[c][j]);
        ssr += (cv.y()[i] - pred) * (cv.y()[i] - pred);
        sst += (cv.y()[i] - mean) * (cv.y()[i] - mean);
      }
      if (s < 0) {
        notes.add(obs.columns().get(c) + " is fitted with a negative scale on " + obs.roles().get(c).description()
            + ": it moves against its toy curve; check which run curve is paired with it");
      }
      out.add(new CurveFit(obs.roles().get(c), obs.columns().get(c), s, iv.affineLower()[c][0],
          iv.affineUpper()[c][0], o, iv.affineLower()[c][1], iv.affineUpper()[c][1], 1 - ssr / sst,
          Math.sqrt(ssr / cv.size()), cv.size(), at.affine()[c].length < 3 ? null
              : new FitResult.InterferenceTerm(partners[c], at.affine()[c][2], iv.affineLower()[c][2],
                  iv.affineUpper()[c][2])));
    }
    return out;
  }
}
