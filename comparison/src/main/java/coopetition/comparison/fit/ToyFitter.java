package coopetition.comparison.fit;

import coopetition.comparison.fit.FitResult.CandidateScore;
import coopetition.comparison.fit.FitResult.CurveFit;
import coopetition.comparison.fit.FitResult.Estimate;
import coopetition.comparison.runs.Curve;
import coopetition.io.Progress;
import coopetition.io.UserInputException;
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
  private static final double CMA_SIGMA = 0.25;

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
      for (int v = 0; v < variants; v++) {
        for (int r = 0; r < s.restarts(); r++) {
          Objective obj = objectives.get(v);
          long seed = s.randomSeed() * 1_000_003L + v * 7919L + r;
          int restart = r;
          tasks.add(() -> cmaes(obj, data, restart == 0 ? typical : null, restart, seed, s.evaluationsPerRun()));
        }
      }
      List<double[]> found = runAll(pool, tasks, s.progress() ? "fit: global search" : null, "runs");
      double[][] bestPerVariant = new double[variants][];
      for (int i = 0; i < found.size(); i++) {
        int v = i / s.restarts();
        double[] f = found.get(i);
        if (bestPerVariant[v] == null || f[p] < bestPerVariant[v][p]) {
          bestPerVariant[v] = f;
        }
      }
      List<CandidateScore> candidates = new ArrayList<>();
      Integer[] order = new Integer[variants];
      for (int v = 0; v < variants; v++) {
        order[v] = v;
        candidates.add(new CandidateScore(model.variants().get(v), bestPerVariant[v][p]));
      }
      Arrays.sort(order, Comparator.comparingDouble(v -> bestPerVariant[v][p]));

      // 2. Local polish of the best few variants.
      List<Callable<double[]>> polishTasks = new ArrayList<>();
      List<Integer> polished = new ArrayList<>();
      for (int i = 0; i < Math.min(s.polish(), variants); i++) {
        int v = order[i];
        polished.add(v);
        double[] u0 = Arrays.copyOf(bestPerVariant[v], p);
        polishTasks.add(() -> levenbergMarquardt(objectives.get(v), data, u0, 200));
      }
      List<double[]> polishedPoints = runAll(pool, polishTasks, null, "");
      int best = -1;
      double[] uBest = null;
      for (int i = 0; i < polished.size(); i++) {
        double[] f = polishedPoints.get(i);
        if (uBest == null || f[p] < uBest[p]) {
          uBest = f;
          best = polished.get(i);
        }
      }
      Objective obj = objectives.get(best);
      double[] u = Arrays.copyOf(uBest, p);

      // 3. Covariance from the full Jacobian (nonlinear parameters and affine maps together).
      Objective.Eval at = obj.eval(u, data);
      UserInputException.require(at.ok(), "the toy model could not be solved at the best point found; "
          + "narrow the search (--fix) or check the curves");
      Covariance cov = covariance(obj, data, u, at, dof);
      double tq = new TDistribution(dof).inverseCumulativeProbability(0.975);

      // 4. Bootstrap over time points, warm-started at the optimum.
      double[][] boot = bootstrap(pool, obj, data, u, s, p);

      // 5. Report every parameter and curve.
      double[] phys = obj.physical(u);
      int[] free = obj.freeIndices();
      List<Estimate> estimates = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      for (int i = 0; i < params.size(); i++) {
        FitParameter fp = params.get(i);
        int j = indexOf(free, i);
        if (j < 0) {
          estimates.add(new Estimate(fp.name(), fp.description(), phys[i], phys[i], phys[i], Double.NaN, Double.NaN,
              true, false));
          continue;
        }
        double se = Math.sqrt(cov.matrix[j][j]);
        double lo = fp.fromUnit(u[j] - tq * se);
        double hi = fp.fromUnit(u[j] + tq * se);
        boolean atBound = u[j] < 1e-3 || u[j] > 1 - 1e-3;
        if (atBound) {
          notes.add(fp.name() + " is at the edge of its search box [" + fp.lower() + ", " + fp.upper()
              + "]; its interval assumes an interior optimum");
        }
        if (!Double.isFinite(se)) {
          notes.add(fp.name() + " is not identifiable from these curves (singular Jacobian)");
        }
        double[] bq = boot == null ? new double[] {Double.NaN, Double.NaN} : percentiles(boot, j, fp);
        estimates.add(new Estimate(fp.name(), fp.description(), phys[i], Double.isFinite(se) ? lo : Double.NaN,
            Double.isFinite(se) ? hi : Double.NaN, bq[0], bq[1], false, atBound));
      }
      if (cov.condition > 1e10) {
        notes.add(String.format("Jacobian condition number %.2e: some parameter combinations are nearly "
            + "unidentifiable; read the intervals with care", cov.condition));
      }
      List<CurveFit> curves = curveFits(obj, obs, u, at, cov, tq, p, notes);
      double m = params.size();
      double wall = (System.nanoTime() - start) / 1e9;
      return new FitResult(model.variants().get(best), best, estimates, curves,
          Arrays.copyOf(phys, (int) m - 2), phys[(int) m - 2], phys[(int) m - 1], at.sse(), data.n, dof,
          Math.sqrt(at.sse() / dof), cov.condition, candidates, boot == null ? 0 : boot.length, solves.get(), wall,
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
    int lambda = (int) Math.round((4 + 3 * Math.log(p)) * (1 << restart));
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
        .withCostRelativeTolerance(1e-10)
        .withParameterRelativeTolerance(1e-9);
    try {
      lm.optimize(problem);
    } catch (MathIllegalStateException e) {
      // iteration budget spent: keep the best point seen
    }
    return best;
  }

  private record Covariance(double[][] matrix, double condition, int columns) {}

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
      } catch (ArithmeticException | IllegalArgumentException | IllegalStateException e) {
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
        return levenbergMarquardt(obj, new Objective.Data(x, y, data.w), u, 40);
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
      Covariance cov, double tq, int p, List<String> notes) {
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
      double seS = Math.sqrt(cov.matrix[p + 2 * c][p + 2 * c]);
      double seO = Math.sqrt(cov.matrix[p + 2 * c + 1][p + 2 * c + 1]);
      if (s < 0) {
        notes.add(obs.columns().get(c) + " is fitted with a negative scale on " + obs.roles().get(c).description()
            + ": it moves against its toy curve; check the pairing (--curves)");
      }
      out.add(new CurveFit(obs.roles().get(c), obs.columns().get(c), s, s - tq * seS, s + tq * seS, o, o - tq * seO,
          o + tq * seO, 1 - ssr / sst, Math.sqrt(ssr / cv.size()), cv.size()));
    }
    return out;
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
