package coopetition.comparison.fit;

import coopetition.comparison.fit.FitResult.CandidateScore;
import coopetition.comparison.fit.FitResult.CurveFit;
import coopetition.comparison.fit.FitResult.Estimate;
import coopetition.comparison.runs.Curve;
import coopetition.common.Progress;
import coopetition.common.UserInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.hipparchus.linear.SingularValueDecomposition;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.SimpleBounds;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.CMAESOptimizer;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresBuilder;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresOptimizer;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresProblem;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LevenbergMarquardtOptimizer;
import org.hipparchus.optim.nonlinear.vector.leastsquares.MultivariateJacobianFunction;
import org.hipparchus.random.RandomGenerator;
import org.hipparchus.random.Well19937c;
import org.hipparchus.stat.descriptive.rank.Percentile;
import org.hipparchus.distribution.continuous.TDistribution;
import org.hipparchus.util.Pair;

/**
 * Fits a {@link ToyCurves} family to transformer curves: CMA-ES over every discrete variant (with
 * IPOP-style restarts) finds the basin, Levenberg–Marquardt polishes the best few, then the Jacobian
 * at the optimum gives a covariance (delta-method 95% intervals) and a bootstrap over time points
 * checks it. Variants, restarts and bootstrap replicates run in parallel; every random choice comes
 * from {@link FitSettings#randomSeed()}, so the result does not depend on thread timing.
 */
public final class ToyFitter {
  private static final double FD_STEP = 1e-5;
  private static final double CMA_SIGMA = 0.15;

  private ToyFitter() {}

  /** The fitted parameters: the model's own, then tau and t0 with bounds taken from the data. */
  public static List<FitParameter> parameters(ToyCurves model, Observations obs, FitSettings s) {
    double xmin = obs.xMin();
    double span = obs.xMax() - xmin;
    List<FitParameter> all = new ArrayList<>(model.parameters());
    all.add(FitParameter.logScaled(Objective.TAU, span / s.maxHorizon(), 1.5 * span / s.minHorizon(),
        "sequences per toy time unit"));
    all.add(FitParameter.linear(Objective.T0, xmin - 0.5 * span, xmin, "sequences at toy time 0"));
    return all;
  }

  public static FitResult fit(ToyCurves model, Observations obs, FitSettings s, Map<String, Double> fixedValues) {
    long start = System.nanoTime();
    List<FitParameter> params = parameters(model, obs, s);
    double[] fixed = new double[params.size()];
    Arrays.fill(fixed, Double.NaN);
    List<String> names = params.stream().map(FitParameter::name).toList();
    fixedValues.forEach((k, v) -> {
      int i = names.indexOf(k);
      UserInputException.require(i >= 0, "--fix names unknown parameter '" + k + "'; fixable: " + String.join(", ", names));
      UserInputException.require(Double.isFinite(v), "--fix " + k + " needs a finite value");
      fixed[i] = v;
    });
    AtomicLong solves = new AtomicLong();
    List<Objective> objectives = new ArrayList<>();
    for (int v = 0; v < model.variants().size(); v++) {
      objectives.add(new Objective(model, v, obs.roles(), params, fixed, solves));
    }
    int p = objectives.get(0).freeCount();
    UserInputException.require(p >= 1, "every parameter is fixed; free at least one (remove a --fix)");
    Objective.Data data = Objective.Data.of(obs.sampled(), obs.full());
    int dof = data.n - p - 2 * obs.roles().size();
    UserInputException.require(dof >= 1, "only " + data.n + " points for " + (p + 2 * obs.roles().size())
        + " fitted numbers; give longer curves or fix parameters with --fix");
    double[] typical = typicalUnit(model, params, objectives.get(0), obs, s);

    ExecutorService pool = Executors.newFixedThreadPool(s.threads(), r -> {
      Thread t = new Thread(r, "coop-fit");
      t.setDaemon(true);
      return t;
    });
    try {
      // 1. Global search: every variant x restart.
      List<Callable<double[]>> tasks = new ArrayList<>();
      int variants = objectives.size();
      int perVariant = s.restarts();
      for (int v = 0; v < variants; v++) {
        for (int r = 0; r < s.restarts(); r++) {
          Objective obj = objectives.get(v);
          long seed = s.randomSeed() * 1_000_003L + v * 7919L + r;
          int restart = r;
          tasks.add(() -> cmaes(obj, data,
              landmarkStart(model, obj, obs, params, restart == 0 ? typical : randomToy(typical, obj, params, seed), s),
              restart, seed, s.evaluationsPerRun()));
        }
      }
      List<double[]> found = runAll(pool, tasks, s.progress() ? "fit: global search" : null, "runs");
      // 2. Local polish of the promising runs (not only the best per variant: a variant can have
      // several basins that fit about equally well, and all of them belong in the intervals).
      Integer[] order = new Integer[found.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.comparingDouble(i -> found.get(i)[p]));
      List<Callable<double[]>> polishTasks = new ArrayList<>();
      List<Integer> polishedRuns = new ArrayList<>();
      for (int i = 0; i < order.length; i++) {
        int run = order[i];
        polishedRuns.add(run);
        double[] u0 = Arrays.copyOf(found.get(run), p);
        Objective o = objectives.get(run / perVariant);
        int iterations = i < s.polish() ? 200 : 60; // the long shots get a shorter polish
        polishTasks.add(() -> levenbergMarquardt(o, data, u0, iterations));
      }
      List<double[]> polishedPoints = runAll(pool, polishTasks, null, "");
      double[][] finalPerVariant = new double[variants][];
      for (int i = 0; i < found.size(); i++) {
        int v = i / perVariant;
        if (finalPerVariant[v] == null || found.get(i)[p] < finalPerVariant[v][p]) {
          finalPerVariant[v] = found.get(i);
        }
      }
      int bestRun = polishedRuns.get(0);
      double[] uBest = polishedPoints.get(0);
      for (int i = 0; i < polishedRuns.size(); i++) {
        double[] f = polishedPoints.get(i);
        int v = polishedRuns.get(i) / perVariant;
        if (f[p] < finalPerVariant[v][p]) {
          finalPerVariant[v] = f;
        }
        if (f[p] < uBest[p]) {
          uBest = f;
          bestRun = polishedRuns.get(i);
        }
      }
      int best = bestRun / perVariant;
      List<CandidateScore> candidates = new ArrayList<>();
      for (int v = 0; v < variants; v++) {
        candidates.add(new CandidateScore(model.variants().get(v), finalPerVariant[v][p]));
      }
      Objective obj = objectives.get(best);
      double[] u = Arrays.copyOf(uBest, p);

      // 3. Covariance from the full Jacobian (nonlinear parameters and affine maps together).
      Objective.Eval at = obj.eval(u, data);
      UserInputException.require(at.ok(), "the toy model could not be solved at the best point found; "
          + "narrow the search (--fix) or check the curves");
      double tq = new TDistribution(dof).inverseCumulativeProbability(0.975);
      // Bonferroni over the free model parameters: all of them inside their intervals at once, 95%.
      double tqSim = new TDistribution(dof).inverseCumulativeProbability(1 - 0.025 / p);
      double jointLimit = at.sse() * (1 + p * new org.hipparchus.distribution.continuous.FDistribution(p, dof)
          .inverseCumulativeProbability(0.95) / dof);
      Bounds bounds = intervals(obj, data, u, at, dof, tq, tqSim, params, jointLimit, s.randomSeed());
      if (s.profile()) {
        profile(obj, data, u, covariance(obj, data, u, at, dof), jointLimit, params, bounds.slo, bounds.shi);
      }
      List<String> notes = new ArrayList<>();

      // 3b. Every other polished optimum (another seed, or another basin of the same seed) whose SSE
      // is not worse than the best by more than an F-test allows (1 degree of freedom, 95%) fits as
      // well; the intervals cover them all. This is the profile-likelihood confidence set, with the
      // discrete seed included, approximated by the union of the local intervals.
      double fq = new org.hipparchus.distribution.continuous.FDistribution(1, dof).inverseCumulativeProbability(0.95);
      double limit = uBest[p] * (1 + fq / dof);
      java.util.LinkedHashSet<String> plausible = new java.util.LinkedHashSet<>();
      plausible.add(model.variants().get(best));
      int basins = 1;
      for (int i = 0; i < polishedRuns.size(); i++) {
        double[] f = polishedPoints.get(i);
        if (polishedRuns.get(i) == bestRun || !(f[p] <= limit) || sameOptimum(f, uBest, p, polishedRuns.get(i) / perVariant, best)) {
          continue;
        }
        int v = polishedRuns.get(i) / perVariant;
        Objective ov = objectives.get(v);
        double[] uv = Arrays.copyOf(f, p);
        Objective.Eval ev = ov.eval(uv, data);
        if (!ev.ok()) {
          continue;
        }
        plausible.add(model.variants().get(v));
        basins++;
        bounds = bounds.hull(intervals(ov, data, uv, ev, dof, tq, tqSim, params, jointLimit, s.randomSeed() + i));
      }
      if (plausible.size() > 1) {
        notes.add("the curves do not single out one variant: " + String.join("; ", plausible)
            + " fit equally well (F-test, 95%); intervals span all of them");
      } else if (basins > 1) {
        notes.add(basins + " distinct optima fit equally well (F-test, 95%); intervals span all of them");
      }

      // 4. Bootstrap over time points, warm-started at the optimum.
      double[][] boot = bootstrap(pool, obj, data, u, s, p);

      // 5. Report every parameter and curve.
      double[] phys = obj.physical(u);
      int[] free = obj.freeIndices();
      List<Estimate> estimates = new ArrayList<>();
      for (int i = 0; i < params.size(); i++) {
        FitParameter fp = params.get(i);
        int j = indexOf(free, i);
        if (j < 0) {
          estimates.add(new Estimate(fp.name(), fp.description(), phys[i], phys[i], phys[i], phys[i], phys[i],
              Double.NaN, Double.NaN, true, false));
          continue;
        }
        boolean atBound = u[j] < 1e-3 || u[j] > 1 - 1e-3;
        if (atBound) {
          notes.add(fp.name() + " is at the edge of its search box [" + fp.lower() + ", " + fp.upper()
              + "]; its interval assumes an interior optimum");
        }
        if (!Double.isFinite(bounds.lo[i]) || !Double.isFinite(bounds.hi[i])) {
          notes.add(fp.name() + " is not identifiable from these curves (singular Jacobian)");
        }
        double[] bq = boot == null ? new double[] {Double.NaN, Double.NaN} : percentiles(boot, j, fp);
        estimates.add(new Estimate(fp.name(), fp.description(), phys[i], bounds.lo[i], bounds.hi[i], bounds.slo[i],
            bounds.shi[i], bq[0], bq[1], false, atBound));
      }
      if (bounds.condition > 1e10) {
        notes.add(String.format("Jacobian condition number %.2e: some parameter combinations are nearly "
            + "unidentifiable; read the intervals with care", bounds.condition));
      }
      List<CurveFit> curves = curveFits(obj, obs, u, at, bounds, notes);
      double m = params.size();
      double wall = (System.nanoTime() - start) / 1e9;
      return new FitResult(model.variants().get(best), best, estimates, curves,
          Arrays.copyOf(phys, (int) m - 2), phys[(int) m - 2], phys[(int) m - 1], at.sse(), data.n, dof,
          Math.sqrt(at.sse() / dof), bounds.condition, candidates, boot == null ? 0 : boot.length, solves.get(), wall,
          notes);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Raw toy curves (all three, in {@link ToyCurve} order) at the given sequence counts, for figures. */
  public static double[][] toyCurves(ToyCurves model, FitResult r, double[] sequences) {
    double[] t = new double[sequences.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = Math.max(0, r.toyTime(sequences[i]));
    }
    return model.evaluate(r.toyValues(), r.variantIndex(), t);
  }

  private static double[] typicalUnit(ToyCurves model, List<FitParameter> params, Objective obj, Observations obs,
      FitSettings s) {
    double[] phys = new double[params.size()];
    double[] typ = model.typicalValues();
    System.arraycopy(typ, 0, phys, 0, typ.length);
    double span = obs.xMax() - obs.xMin();
    phys[params.size() - 2] = span / s.typicalHorizon();
    phys[params.size() - 1] = obs.xMin();
    int[] free = obj.freeIndices();
    double[] u = new double[free.length];
    for (int j = 0; j < free.length; j++) {
      u[j] = Math.min(0.98, Math.max(0.02, params.get(free[j]).toUnit(phys[free[j]])));
    }
    return u;
  }

  /**
   * A start that lines the toy's transitions up with the run's: the toy at typical values gives
   * the times of steepest change of L1 and L2, the run the sequence counts of steepest change of
   * the curves paired with them; two landmarks fix tau and t0, one fixes t0. Without this, most
   * of the search budget goes into finding where the transition is.
   */
  static double[] landmarkStart(ToyCurves model, Objective obj, Observations obs, List<FitParameter> params,
      double[] typical, FitSettings s) {
    double[] u = typical.clone();
    int[] free = obj.freeIndices();
    int m = params.size();
    int jTau = indexOf(free, m - 2);
    int jT0 = indexOf(free, m - 1);
    if (jT0 < 0) {
      return u;
    }
    double[] t = new double[2001];
    for (int i = 0; i < t.length; i++) {
      t[i] = s.maxHorizon() * i / (t.length - 1);
    }
    double[][] toy;
    try {
      toy = model.evaluate(Arrays.copyOf(obj.physical(typical), m - 2), obj.variant(), t);
    } catch (RuntimeException e) { // the toy cannot be solved here (blow-up, integrator failure)
      return u;
    }
    List<double[]> marks = new ArrayList<>();
    for (ToyCurve role : new ToyCurve[] {ToyCurve.MECH1, ToyCurve.MECH2}) {
      int r = obs.roles().indexOf(role);
      if (r < 0) {
        continue;
      }
      double tm = steepest(t, toy[role.ordinal()]);
      Curve c = obs.sampled().get(r);
      double xm = steepest(c.x(), c.y());
      if (Double.isFinite(tm) && Double.isFinite(xm)) {
        marks.add(new double[] {tm, xm});
      }
    }
    if (marks.isEmpty()) {
      return u;
    }
    double tau = params.get(m - 2).fromUnit(jTau >= 0 ? u[jTau] : 0.5);
    if (marks.size() == 2 && jTau >= 0) {
      double dt = marks.get(1)[0] - marks.get(0)[0];
      double dx = marks.get(1)[1] - marks.get(0)[1];
      if (dt > 0 && dx > 0) {
        tau = dx / dt;
      }
    }
    FitParameter pTau = params.get(m - 2);
    FitParameter pT0 = params.get(m - 1);
    tau = Math.min(pTau.upper(), Math.max(pTau.lower(), tau));
    double t0 = marks.get(0)[1] - tau * marks.get(0)[0];
    if (t0 < pT0.lower() || t0 > pT0.upper()) {
      // Keep the landmark aligned by moving tau instead, within bounds.
      t0 = Math.min(pT0.upper(), Math.max(pT0.lower(), t0));
      double alt = (marks.get(0)[1] - t0) / marks.get(0)[0];
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

  /** The typical start with the model's own parameters redrawn uniformly in their box (tau, t0 kept). */
  private static double[] randomToy(double[] typical, Objective obj, List<FitParameter> params, long seed) {
    RandomGenerator rng = new Well19937c(seed ^ 0x5DEECE66DL);
    double[] u = typical.clone();
    int[] free = obj.freeIndices();
    for (int j = 0; j < free.length; j++) {
      if (free[j] < params.size() - 2) {
        u[j] = 0.05 + 0.9 * rng.nextDouble();
      }
    }
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

  /** One CMA-ES run in the unit box; returns the best point seen with its SSE appended. */
  private static double[] cmaes(Objective obj, Objective.Data data, double[] start, int restart, long seed, int maxEval) {
    int p = obj.freeCount();
    RandomGenerator rng = new Well19937c(seed);
    double[] x0 = new double[p];
    for (int j = 0; j < p; j++) {
      x0[j] = start != null ? start[j] : 0.05 + 0.9 * rng.nextDouble();
    }
    double[] best = new double[p + 1];
    best[p] = Double.POSITIVE_INFINITY;
    ObjectiveFunction f = new ObjectiveFunction(u -> {
      double v = obj.eval(u, data).sse();
      if (v < best[p]) {
        System.arraycopy(u, 0, best, 0, p);
        best[p] = v;
      }
      return v;
    });
    double[] lo = new double[p];
    double[] hi = new double[p];
    double[] sigma = new double[p];
    Arrays.fill(hi, 1);
    Arrays.fill(sigma, CMA_SIGMA);
    int lambda = (int) Math.round(4 + 3 * Math.log(p));
    Arrays.fill(sigma, CMA_SIGMA);
    CMAESOptimizer cma = new CMAESOptimizer(10_000, 0, true, 0, 0, rng, false, null);
    try {
      cma.optimize(new MaxEval(maxEval), f, GoalType.MINIMIZE, new InitialGuess(x0), new SimpleBounds(lo, hi),
          new CMAESOptimizer.Sigma(sigma), new CMAESOptimizer.PopulationSize(lambda));
    } catch (MathIllegalStateException e) {
      // evaluation budget spent: the best point seen is the answer
    }
    if (!Double.isFinite(best[p])) {
      System.arraycopy(x0, 0, best, 0, p);
    }
    return best;
  }

  /** Levenberg–Marquardt on the variable-projection residuals; returns the best point with its SSE appended. */
  static double[] levenbergMarquardt(Objective obj, Objective.Data data, double[] u0, int maxIterations) {
    int p = obj.freeCount();
    double[] best = new double[p + 1];
    System.arraycopy(u0, 0, best, 0, p);
    best[p] = obj.eval(u0, data).sse();
    double[] target = new double[data.n];
    int k = 0;
    for (int c = 0; c < data.x.length; c++) {
      for (double y : data.y[c]) {
        target[k++] = data.w[c] * y;
      }
    }
    RealVector tv = new ArrayRealVector(target, false);
    MultivariateJacobianFunction model = point -> {
      double[] u = point.toArray();
      Objective.Eval e = obj.eval(u, data);
      if (e.sse() < best[p]) {
        System.arraycopy(u, 0, best, 0, p);
        best[p] = e.sse();
      }
      RealVector value = tv.subtract(new ArrayRealVector(e.residuals(), false));
      double[][] jac = new double[data.n][p];
      for (int j = 0; j < p; j++) {
        double[] up = u.clone();
        double[] dn = u.clone();
        up[j] = Math.min(1, u[j] + FD_STEP);
        dn[j] = Math.max(0, u[j] - FD_STEP);
        double h = up[j] - dn[j];
        double[] rUp = obj.eval(up, data).residuals();
        double[] rDn = obj.eval(dn, data).residuals();
        for (int i = 0; i < data.n; i++) {
          jac[i][j] = -(rUp[i] - rDn[i]) / h; // value = target - residual
        }
      }
      return new Pair<>(value, new Array2DRowRealMatrix(jac, false));
    };
    LeastSquaresProblem problem = new LeastSquaresBuilder()
        .start(u0)
        .model(model)
        .target(tv)
        .parameterValidator(v -> {
          double[] a = v.toArray();
          for (int j = 0; j < a.length; j++) {
            a[j] = Math.min(1, Math.max(0, a[j]));
          }
          return new ArrayRealVector(a, false);
        })
        .maxEvaluations(4 * maxIterations)
        .maxIterations(maxIterations)
        .lazyEvaluation(false)
        .build();
    LeastSquaresOptimizer lm = new LevenbergMarquardtOptimizer()
        .withCostRelativeTolerance(1e-9)
        .withParameterRelativeTolerance(1e-8);
    try {
      lm.optimize(problem);
    } catch (MathIllegalStateException e) {
      // iteration budget spent: keep the best point seen
    }
    return best;
  }

  private record Covariance(double[][] matrix, double condition, int columns) {}

  /** 95% intervals of every parameter (physical units; fixed ones collapse) and of each affine map. */
  private record Bounds(double[] lo, double[] hi, double[] slo, double[] shi, double[][] affineLo,
      double[][] affineHi, double condition) {
    Bounds hull(Bounds o) {
      double[] l = lo.clone();
      double[] h = hi.clone();
      double[] sl = slo.clone();
      double[] sh = shi.clone();
      for (int i = 0; i < l.length; i++) {
        l[i] = Math.min(l[i], o.lo[i]);
        h[i] = Math.max(h[i], o.hi[i]);
        sl[i] = Math.min(sl[i], o.slo[i]);
        sh[i] = Math.max(sh[i], o.shi[i]);
      }
      double[][] al = new double[affineLo.length][2];
      double[][] ah = new double[affineLo.length][2];
      for (int c = 0; c < al.length; c++) {
        for (int k = 0; k < 2; k++) {
          al[c][k] = Math.min(affineLo[c][k], o.affineLo[c][k]);
          ah[c][k] = Math.max(affineHi[c][k], o.affineHi[c][k]);
        }
      }
      return new Bounds(l, h, sl, sh, al, ah, Math.max(condition, o.condition));
    }
  }

  /**
   * Widens the joint intervals to the likelihood region {SSE ≤ jointLimit} (the F-test region of
   * all free parameters at once), walking out from the optimum along each parameter's profile
   * trace (the direction the others follow when it moves, from the covariance) until the fit gets
   * worse than the limit. The Wald ellipse is exact only for a linear model; the walk follows the
   * real SSE, so it catches the skewed directions the toy's time, init scale and offsets produce.
   */
  private static void likelihoodRegion(Objective obj, Objective.Data data, double[] u, Covariance cov,
      double jointLimit, List<FitParameter> params, long seed, double[] slo, double[] shi) {
    int p = u.length;
    int[] free = obj.freeIndices();
    for (int j = 0; j < p; j++) {
      double cjj = cov.matrix[j][j];
      if (!(cjj > 0) || !Double.isFinite(cjj)) {
        continue;
      }
      double[] dir = new double[p];
      for (int a = 0; a < p; a++) {
        dir[a] = cov.matrix[a][j] / Math.sqrt(cjj); // one standard error of u_j, others following
      }
      for (int sign = -1; sign <= 1; sign += 2) {
        double inside = 0;
        double outside = Double.NaN;
        double step = 2.0;
        for (int k = 0; k < 8 && Double.isNaN(outside); k++, step *= 1.6) {
          double[] v = along(u, dir, sign * step);
          if (fitsWithin(obj, data, v, jointLimit)) {
            inside = step;
            record(v, free, params, slo, shi);
            if (atEdge(v)) {
              break;
            }
          } else {
            outside = step;
          }
        }
        if (Double.isNaN(outside)) {
          continue;
        }
        for (int k = 0; k < 6; k++) {
          double mid = 0.5 * (inside + outside);
          double[] v = along(u, dir, sign * mid);
          if (fitsWithin(obj, data, v, jointLimit)) {
            inside = mid;
            record(v, free, params, slo, shi);
          } else {
            outside = mid;
          }
        }
      }
    }
  }

  /**
   * Profile-likelihood joint intervals: for each free parameter, hold it at a value, refit all the
   * others (LM, warm-started on the profile trace), and push the value outwards until the best
   * refit is worse than {@code limit} (the F-test region of all parameters at once). Every refitted
   * point lies in that region, so the truth lies inside these intervals whenever it lies in the
   * region (about 95% of the time), however curved the region is.
   */
  private static void profile(Objective obj, Objective.Data data, double[] u, Covariance cov, double limit,
      List<FitParameter> params, double[] slo, double[] shi) {
    int p = u.length;
    int[] free = obj.freeIndices();
    if (p < 2) {
      return;
    }
    for (int j = 0; j < p; j++) {
      double cjj = cov.matrix[j][j];
      if (!(cjj > 0) || !Double.isFinite(cjj)) {
        continue;
      }
      double se = Math.sqrt(cjj);
      for (int sign = -1; sign <= 1; sign += 2) {
        double inside = 0;
        double outside = Double.NaN;
        double d = 3 * se;
        for (int k = 0; k < 4 && Double.isNaN(outside); k++, d *= 1.7) {
          double uj = Math.min(1, Math.max(0, u[j] + sign * d));
          double dd = Math.abs(uj - u[j]);
          if (profileFits(obj, data, u, cov, j, uj, limit, params, free, slo, shi)) {
            inside = dd;
            if (uj <= 0 || uj >= 1) {
              break; // the box edge is inside the region: the interval reaches the edge
            }
          } else {
            outside = dd;
          }
        }
        if (Double.isNaN(outside)) {
          continue;
        }
        for (int k = 0; k < 2; k++) {
          double mid = 0.5 * (inside + outside);
          if (profileFits(obj, data, u, cov, j, u[j] + sign * mid, limit, params, free, slo, shi)) {
            inside = mid;
          } else {
            outside = mid;
          }
        }
      }
    }
  }

  /** Refits with free parameter j held at unit value uj; records the refit if it lies in the region. */
  private static boolean profileFits(Objective obj, Objective.Data data, double[] u, Covariance cov, int j, double uj,
      double limit, List<FitParameter> params, int[] free, double[] slo, double[] shi) {
    int p = u.length;
    Objective sub = obj.withFixed(free[j], params.get(free[j]).fromUnit(uj));
    double[] start = new double[p - 1];
    for (int a = 0, k = 0; a < p; a++) {
      if (a != j) {
        start[k++] = Math.min(1, Math.max(0, u[a] + (uj - u[j]) * cov.matrix[a][j] / cov.matrix[j][j]));
      }
    }
    double[] best = levenbergMarquardt(sub, data, start, 12);
    if (!(best[p - 1] <= limit)) {
      return false;
    }
    double[] full = new double[p];
    for (int a = 0, k = 0; a < p; a++) {
      full[a] = a == j ? uj : best[k++];
    }
    record(full, free, params, slo, shi);
    return true;
  }

  private static double[] along(double[] u, double[] dir, double lambda) {
    double[] v = new double[u.length];
    for (int a = 0; a < u.length; a++) {
      v[a] = Math.min(1, Math.max(0, u[a] + lambda * dir[a]));
    }
    return v;
  }

  private static boolean atEdge(double[] v) {
    for (double x : v) {
      if (x <= 0 || x >= 1) {
        return true;
      }
    }
    return false;
  }

  private static boolean fitsWithin(Objective obj, Objective.Data data, double[] v, double limit) {
    Objective.Eval e = obj.eval(v, data);
    return e.ok() && e.sse() <= limit;
  }

  private static void record(double[] v, int[] free, List<FitParameter> params, double[] slo, double[] shi) {
    for (int j = 0; j < v.length; j++) {
      double x = params.get(free[j]).fromUnit(v[j]);
      slo[free[j]] = Math.min(slo[free[j]], x);
      shi[free[j]] = Math.max(shi[free[j]], x);
    }
  }

  private static Bounds intervals(Objective obj, Objective.Data data, double[] u, Objective.Eval at, int dof, double tq,
      double tqSim, List<FitParameter> params, double jointLimit, long seed) {
    Covariance cov = covariance(obj, data, u, at, dof);
    double[] phys = obj.physical(u);
    double[] lo = phys.clone();
    double[] hi = phys.clone();
    double[] slo = phys.clone();
    double[] shi = phys.clone();
    int[] free = obj.freeIndices();
    for (int j = 0; j < free.length; j++) {
      double se = Math.sqrt(cov.matrix[j][j]);
      FitParameter fp = params.get(free[j]);
      boolean ok = Double.isFinite(se);
      lo[free[j]] = ok ? fp.fromUnit(u[j] - tq * se) : Double.NEGATIVE_INFINITY;
      hi[free[j]] = ok ? fp.fromUnit(u[j] + tq * se) : Double.POSITIVE_INFINITY;
      slo[free[j]] = ok ? fp.fromUnit(u[j] - tqSim * se) : Double.NEGATIVE_INFINITY;
      shi[free[j]] = ok ? fp.fromUnit(u[j] + tqSim * se) : Double.POSITIVE_INFINITY;
    }
    int p = free.length;
    int k = at.affine().length;
    double[][] al = new double[k][2];
    double[][] ah = new double[k][2];
    for (int c = 0; c < k; c++) {
      for (int q = 0; q < 2; q++) {
        double se = Math.sqrt(cov.matrix[p + 2 * c + q][p + 2 * c + q]);
        al[c][q] = at.affine()[c][q] - tq * se;
        ah[c][q] = at.affine()[c][q] + tq * se;
      }
    }
    likelihoodRegion(obj, data, u, cov, jointLimit, params, seed, slo, shi);
    return new Bounds(lo, hi, slo, shi, al, ah, cov.condition);
  }

  /**
   * s² (JᵀJ)⁻¹ with J the weighted Jacobian over the free nonlinear parameters (affine maps held at
   * their optimum) plus the 2K affine columns, s² = SSE / dof.
   */
  private static Covariance covariance(Objective obj, Objective.Data data, double[] u, Objective.Eval at, int dof) {
    int p = obj.freeCount();
    int k = data.x.length;
    int cols = p + 2 * k;
    double[][] jac = new double[data.n][cols];
    for (int j = 0; j < p; j++) {
      double[] up = u.clone();
      double[] dn = u.clone();
      up[j] = Math.min(1, u[j] + FD_STEP);
      dn[j] = Math.max(0, u[j] - FD_STEP);
      double h = up[j] - dn[j];
      double[] a;
      double[] b;
      try {
        a = obj.weightedPrediction(up, at.affine(), data);
        b = obj.weightedPrediction(dn, at.affine(), data);
      } catch (RuntimeException e) { // the toy cannot be solved here (blow-up, integrator failure)
        a = new double[data.n];
        b = a;
      }
      for (int i = 0; i < data.n; i++) {
        jac[i][j] = (a[i] - b[i]) / h;
      }
    }
    int row = 0;
    for (int c = 0; c < k; c++) {
      for (int i = 0; i < data.x[c].length; i++) {
        jac[row][p + 2 * c] = data.w[c] * at.toy()[c][data.at[c][i]];
        jac[row][p + 2 * c + 1] = data.w[c];
        row++;
      }
    }
    RealMatrix j = new Array2DRowRealMatrix(jac, false);
    SingularValueDecomposition svd = new SingularValueDecomposition(j);
    double[] sv = svd.getSingularValues();
    double cond = sv[sv.length - 1] > 0 ? sv[0] / sv[sv.length - 1] : Double.POSITIVE_INFINITY;
    double s2 = at.sse() / dof;
    double[][] m = new double[cols][cols];
    if (sv[sv.length - 1] <= sv[0] * 1e-14) {
      for (double[] r : m) {
        Arrays.fill(r, Double.POSITIVE_INFINITY);
      }
      return new Covariance(m, cond, cols);
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
    return new Covariance(m, cond, cols);
  }

  private static double[][] bootstrap(ExecutorService pool, Objective obj, Objective.Data data, double[] u,
      FitSettings s, int p) {
    if (s.bootstrap() == 0) {
      return null;
    }
    List<Callable<double[]>> tasks = new ArrayList<>();
    for (int b = 0; b < s.bootstrap(); b++) {
      long seed = s.randomSeed() * 31L + 1_000_000_007L * (b + 1);
      tasks.add(() -> {
        RandomGenerator rng = new Well19937c(seed);
        double[][] x = new double[data.x.length][];
        double[][] y = new double[data.x.length][];
        for (int c = 0; c < data.x.length; c++) {
          int n = data.x[c].length;
          x[c] = new double[n];
          y[c] = new double[n];
          for (int i = 0; i < n; i++) {
            int pick = rng.nextInt(n);
            x[c][i] = data.x[c][pick];
            y[c][i] = data.y[c][pick];
          }
        }
        return levenbergMarquardt(obj, data.withPoints(x, y), u, 40);
      });
    }
    List<double[]> out = runAll(pool, tasks, s.progress() ? "fit: bootstrap" : null, "refits");
    return out.toArray(new double[0][]);
  }

  private static double[] percentiles(double[][] boot, int j, FitParameter fp) {
    double[] vals = new double[boot.length];
    for (int b = 0; b < boot.length; b++) {
      vals[b] = boot[b][j];
    }
    Percentile pc = new Percentile();
    return new double[] {fp.fromUnit(pc.evaluate(vals, 2.5)), fp.fromUnit(pc.evaluate(vals, 97.5))};
  }

  private static List<CurveFit> curveFits(Objective obj, Observations obs, double[] u, Objective.Eval at,
      Bounds bounds, List<String> notes) {
    Objective.Data full = Objective.Data.of(obs.full(), obs.full());
    double[][] toy = obj.toyAt(obj.physical(u), full.ux);
    List<CurveFit> out = new ArrayList<>();
    for (int c = 0; c < obs.roles().size(); c++) {
      double s = at.affine()[c][0];
      double o = at.affine()[c][1];
      Curve cv = obs.full().get(c);
      double mean = Arrays.stream(cv.y()).average().orElse(0);
      double ssr = 0;
      double sst = 0;
      for (int i = 0; i < cv.size(); i++) {
        double pred = s * toy[c][full.at[c][i]] + o;
        ssr += (cv.y()[i] - pred) * (cv.y()[i] - pred);
        sst += (cv.y()[i] - mean) * (cv.y()[i] - mean);
      }
      if (s < 0) {
        notes.add(obs.columns().get(c) + " is fitted with a negative scale on " + obs.roles().get(c).description()
            + ": it moves against its toy curve; check the pairing (--curves)");
      }
      out.add(new CurveFit(obs.roles().get(c), obs.columns().get(c), s, bounds.affineLo[c][0], bounds.affineHi[c][0],
          o, bounds.affineLo[c][1], bounds.affineHi[c][1], 1 - ssr / sst, Math.sqrt(ssr / cv.size()), cv.size()));
    }
    return out;
  }

  /** Two optima of the same variant closer than 1e-3 in every unit coordinate are one basin. */
  private static boolean sameOptimum(double[] a, double[] b, int p, int va, int vb) {
    if (va != vb) {
      return false;
    }
    for (int j = 0; j < p; j++) {
      if (Math.abs(a[j] - b[j]) > 1e-3) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }

  private static List<double[]> runAll(ExecutorService pool, List<Callable<double[]>> tasks, String progressName,
      String unit) {
    List<Future<double[]>> futures = new ArrayList<>();
    for (Callable<double[]> t : tasks) {
      futures.add(pool.submit(t));
    }
    List<double[]> out = new ArrayList<>();
    Progress bar = progressName == null ? null : Progress.start(progressName, tasks.size(), unit);
    try {
      for (Future<double[]> f : futures) {
        out.add(f.get());
        if (bar != null) {
          bar.stepBy(1);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("fit interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
    return out;
  }
}
