package coopetition.comparison.fit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hipparchus.distribution.continuous.FDistribution;
import org.hipparchus.distribution.continuous.TDistribution;

/**
 * The 95% intervals of a fit, with the discrete variant included: the Wald and joint-region
 * intervals at the best optimum, widened to cover every other polished optimum (another seed, or
 * another basin of the same seed) whose SSE is not worse than the best by more than an F-test allows
 * (1 degree of freedom, 95%). Those fit as well, so this approximates the profile-likelihood
 * confidence set by the union of the local intervals.
 *
 * @param variants the variants of the optima covered, the best one first
 * @param optima how many distinct optima are covered
 */
record ConfidenceSet(Intervals intervals, Set<String> variants, int optima) {
  ConfidenceSet {
    variants = Collections.unmodifiableSet(new LinkedHashSet<>(variants)); // keeps the best one first
  }

  /**
   * @param polished the polished optima; {@code polished.get(bestIndex)} is the best
   * @param at the objective evaluated at the best optimum
   */
  static ConfidenceSet of(FitProblem problem, List<Candidate> polished, int bestIndex, Objective.Eval at,
      FitSettings s) {
    Candidate best = polished.get(bestIndex);
    int p = problem.freeCount();
    int dof = problem.dof();
    TDistribution t = new TDistribution(dof);
    // Bonferroni over the free model parameters: all of them inside their intervals at once, 95%.
    Intervals.Quantiles q = new Intervals.Quantiles(t.inverseCumulativeProbability(0.975),
        t.inverseCumulativeProbability(1 - 0.025 / p));
    double jointLimit = at.sse() * (1 + p * new FDistribution(p, dof).inverseCumulativeProbability(0.95) / dof);
    double equalFitLimit = best.sse() * (1 + new FDistribution(1, dof).inverseCumulativeProbability(0.95) / dof);

    Objective obj = problem.objective(best.variant());
    double[] u = best.point().unit();
    Covariance cov = Covariance.at(obj, problem.data(), u, at, dof);
    JointRegion region = new JointRegion(obj, problem.data(), u, cov, jointLimit).walk();
    if (s.profile()) {
      region.profile();
    }
    Intervals intervals = Intervals.wald(obj, u, at, cov, q).withJoint(region.envelope());

    LinkedHashSet<String> variants = new LinkedHashSet<>();
    variants.add(problem.variantName(best.variant()));
    int optima = 1;
    for (int i = 0; i < polished.size(); i++) {
      Candidate c = polished.get(i);
      if (i == bestIndex || !(c.sse() <= equalFitLimit) || c.sameOptimumAs(best)) {
        continue;
      }
      Objective ov = problem.objective(c.variant());
      double[] uv = c.point().unit();
      Objective.Eval ev = ov.eval(uv, problem.data());
      if (!ev.ok()) {
        continue;
      }
      variants.add(problem.variantName(c.variant()));
      optima++;
      Covariance cv = Covariance.at(ov, problem.data(), uv, ev, dof);
      JointRegion r = new JointRegion(ov, problem.data(), uv, cv, jointLimit).walk();
      intervals = intervals.hull(Intervals.wald(ov, uv, ev, cv, q).withJoint(r.envelope()));
    }
    return new ConfidenceSet(intervals, variants, optima);
  }

  /** What a reader must know about the set: several variants or basins fit equally well. */
  List<String> notes() {
    List<String> notes = new ArrayList<>();
    if (variants.size() > 1) {
      notes.add("the curves do not single out one variant: " + String.join("; ", variants)
          + " fit equally well (F-test, 95%); intervals span all of them");
    } else if (optima > 1) {
      notes.add(optima + " distinct optima fit equally well (F-test, 95%); intervals span all of them");
    }
    return notes;
  }
}
