package coopetition.comparison.fit;

import coopetition.comparison.runs.Curve;
import java.util.ArrayList;
import java.util.List;
import org.hipparchus.random.RandomGenerator;
import org.hipparchus.random.Well19937c;

/**
 * Where the global search starts, in the free parameters' unit coordinates: the model's typical
 * values (or random ones), with tau and t0 set so that the toy's transitions line up with the run's.
 */
final class SearchStarts {
  private SearchStarts() {}

  /** A landmark (toy time, sequence count) pair: the same transition seen in the toy and in the run. */
  private record Landmark(double toyTime, double sequences) {}

  /** The model's typical values, tau from the typical horizon and t0 at the first point, inside the box. */
  static double[] typical(FitProblem problem, FitSettings s) {
    FitParameters params = problem.params();
    Observations obs = problem.obs();
    double[] phys = new double[params.size()];
    double[] typ = problem.model().typicalValues();
    System.arraycopy(typ, 0, phys, 0, typ.length);
    phys[params.tauIndex()] = (obs.xMax() - obs.xMin()) / s.typicalHorizon();
    phys[params.t0Index()] = obs.xMin();
    int[] free = problem.objective(0).freeIndices();
    double[] u = new double[free.length];
    for (int j = 0; j < u.length; j++) {
      u[j] = Math.min(0.98, Math.max(0.02, params.get(free[j]).toUnit(phys[free[j]])));
    }
    return u;
  }

  /** The typical start with the model's own parameters redrawn uniformly in their box (tau, t0 kept). */
  static double[] randomToy(double[] typical, Objective obj, long seed) {
    RandomGenerator rng = new Well19937c(seed ^ 0x5DEECE66DL);
    double[] u = typical.clone();
    int[] free = obj.freeIndices();
    for (int j = 0; j < free.length; j++) {
      if (free[j] < obj.parameters().toyCount()) {
        u[j] = 0.05 + 0.9 * rng.nextDouble();
      }
    }
    return u;
  }

  /**
   * A start that lines the toy's transitions up with the run's: the toy at the given values gives
   * the times of steepest change of L1 and L2, the run the sequence counts of steepest change of
   * the curves paired with them; two landmarks fix tau and t0, one fixes t0. Without this, most
   * of the search budget goes into finding where the transition is.
   */
  static double[] landmarkStart(ToyCurves model, Objective obj, Observations obs, double[] start, double maxHorizon) {
    double[] u = start.clone();
    FitParameters params = obj.parameters();
    int jTau = obj.freePosition(params.tauIndex());
    int jT0 = obj.freePosition(params.t0Index());
    if (jT0 < 0) {
      return u;
    }
    double[] t = new double[2001];
    for (int i = 0; i < t.length; i++) {
      t[i] = maxHorizon * i / (t.length - 1);
    }
    double[][] toy;
    try {
      toy = model.evaluate(params.toyValues(obj.physical(start)), obj.variant(), t);
    } catch (RuntimeException e) { // the toy cannot be solved here (blow-up, integrator failure)
      return u;
    }
    List<Landmark> marks = new ArrayList<>();
    for (ToyCurve role : new ToyCurve[] {ToyCurve.MECH1, ToyCurve.MECH2}) {
      int r = obs.roles().indexOf(role);
      if (r < 0) {
        continue;
      }
      double tm = steepest(t, toy[role.ordinal()]);
      Curve c = obs.sampled().get(r);
      double xm = steepest(c.x(), c.y());
      if (Double.isFinite(tm) && Double.isFinite(xm)) {
        marks.add(new Landmark(tm, xm));
      }
    }
    if (marks.isEmpty()) {
      return u;
    }
    FitParameter pTau = params.tau();
    FitParameter pT0 = params.t0();
    Landmark first = marks.get(0);
    double tau = pTau.fromUnit(jTau >= 0 ? u[jTau] : 0.5);
    if (marks.size() == 2 && jTau >= 0) {
      double dt = marks.get(1).toyTime() - first.toyTime();
      double dx = marks.get(1).sequences() - first.sequences();
      if (dt > 0 && dx > 0) {
        tau = dx / dt;
      }
    }
    tau = Math.min(pTau.upper(), Math.max(pTau.lower(), tau));
    double t0 = first.sequences() - tau * first.toyTime();
    if (t0 < pT0.lower() || t0 > pT0.upper()) {
      // Keep the landmark aligned by moving tau instead, within bounds.
      t0 = Math.min(pT0.upper(), Math.max(pT0.lower(), t0));
      double alt = (first.sequences() - t0) / first.toyTime();
      if (jTau >= 0 && alt > 0) {
        tau = Math.min(pTau.upper(), Math.max(pTau.lower(), alt));
      }
    }
    if (jTau >= 0) {
      u[jTau] = Math.min(0.98, Math.max(0.02, pTau.toUnit(tau)));
    }
    u[jT0] = Math.min(1.0, Math.max(0.0, pT0.toUnit(t0)));
    return u;
  }

  /** x of the steepest change of y after light smoothing; NaN for a flat curve. */
  static double steepest(double[] x, double[] y) {
    int n = x.length;
    int w = Math.max(1, n / 40);
    double[] sm = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      int cnt = 0;
      for (int j = Math.max(0, i - w); j <= Math.min(n - 1, i + w); j++) {
        sum += y[j];
        cnt++;
      }
      sm[i] = sum / cnt;
    }
    double best = 0;
    double at = Double.NaN;
    // Skip the first few points: the initial drop of every loss is not a transition.
    for (int i = Math.max(1, n / 20); i < n; i++) {
      double d = Math.abs(sm[i] - sm[i - 1]) / (x[i] - x[i - 1]) * (x[n - 1] - x[0]);
      if (d > best) {
        best = d;
        at = 0.5 * (x[i] + x[i - 1]);
      }
    }
    return at;
  }
}
