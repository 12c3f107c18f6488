package coopetition.comparison.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import coopetition.comparison.runs.Curve;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The interference term of a curve's map: ciwl_loss ≈ s2·L2 + s12·L1 + b with s12 ≤ 0 and bounded. */
class InterferenceTest {
  private static final ToyModelCurves MODEL =
      new ToyModelCurves(List.of(0L), List.of(8), 20, coopetition.toymodel.Solver.FLOW_REDUCED);
  private static final double[] TOY = {0.1, 0.1, 0.0, 1.0};
  private static final double TAU = 1000;
  private static final double T0 = -5000;

  @Test
  void theBoundedTwoCoefficientMapIsExactInsideItsBoxAndClampedOutside() {
    double[] f = {0.9, 0.8, 0.5, 0.3, 0.2, 0.1, 0.05};
    double[] g = {0.9, 0.2, 0.1, 0.15, 0.3, 0.6, 0.8};
    double[] y = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      y[i] = 6 * f[i] - 1.5 * g[i] + 0.3;
    }
    assertArrayEquals(new double[] {6, 0.3, -1.5}, MapSolver.withInterference(f, g, y, 1, 20, -4), 1e-10);
    // The interference may not exceed its bound: clamped there, the others refitted.
    double[] capped = MapSolver.withInterference(f, g, y, 1, 20, -1);
    assertEquals(-1, capped[2], 1e-12);
    assertTrue(capped[0] > 1 && capped[0] <= 20, Arrays.toString(capped));
    // A curve that rises with g (cooperation, not interference) gets no term at all.
    double[] up = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      up[i] = 6 * f[i] + 1.5 * g[i] + 0.3;
    }
    double[] none = MapSolver.withInterference(f, g, up, 1, 20, -4);
    assertEquals(0, none[2], 0);
    assertArrayEquals(Arrays.copyOf(Objective.affine(f, up, 1, 20), 2), Arrays.copyOf(none, 2), 1e-12);
    // Best of the box: no other feasible point has a smaller SSE.
    double best = sse(f, g, up, none);
    for (double s = 1; s <= 20; s += 0.25) {
      for (double x = -4; x <= 0; x += 0.1) {
        double[] m = {s, 0, x};
        m[1] = mean(up) - s * mean(f) - x * mean(g);
        assertTrue(sse(f, g, up, m) >= best - 1e-9);
      }
    }
  }

  @Test
  void aToyGeneratedCiwlCurveWithPlantedInterferenceIsMappedExactlyAtTheTruth() {
    Observations obs = toyRun(-0.8, 0, 1);
    List<FitParameter> ps = ToyFitter.parameters(MODEL, obs, FitSettings.defaults());
    double[] truth = {TOY[0], TOY[1], TOY[2], TOY[3], TAU, T0};
    double[] u = new double[truth.length];
    for (int i = 0; i < u.length; i++) {
      u[i] = ps.get(i).toUnit(truth[i]);
    }
    double[] none = new double[truth.length];
    Arrays.fill(none, Double.NaN);
    Objective.Data data = Objective.Data.of(obs.sampled(), obs.full());
    Objective with = new Objective(MODEL, 0, obs.roles(), obs.partners(), new FitParameters(ps), none, new AtomicLong());
    Objective.Eval e = with.eval(u, data);
    assertTrue(e.sse() < 1e-12, "sse " + e.sse());
    assertArrayEquals(new double[] {4, 1}, e.affine()[0], 1e-6);
    assertArrayEquals(new double[] {6, 0.3, -0.8}, e.affine()[1], 1e-6);
    // Without the term the same curves cannot be mapped at the truth.
    Objective plain = new Objective(MODEL, 0, obs.roles(), ps, none, new AtomicLong());
    assertTrue(plain.eval(u, data).sse() > 1e-4, "a plain map fits the planted interference");
  }

  @Test
  void aFitRecoversAPlantedInterferenceCoefficient() {
    Observations obs = toyRun(-0.8, 0.01, 7);
    FitSettings s = FitSettings.defaults().withThreads(2).withBootstrap(0).withProfile(false).withSearch(2, 300, 2);
    FitResult r = ToyFitter.fit(MODEL, obs, s, Map.of("mu2", 0.0));
    FitResult.InterferenceTerm t = r.curve(ToyCurve.MECH2).interference();
    assertNotNull(t);
    assertEquals(ToyCurve.MECH1, t.partner());
    assertEquals(-0.8, t.value(), 0.12, "interference " + t);
    assertTrue(t.lower() <= -0.8 && -0.8 <= t.upper(), "interval " + t);
    assertNull(r.curve(ToyCurve.MECH1).interference());
    assertTrue(r.curve(ToyCurve.MECH2).r2() > 0.99, "R² " + r.curve(ToyCurve.MECH2).r2());
  }

  @Test
  void theSpecParsesAndBadSpecsNameTheField() {
    assertEquals(ToyCurve.MECH1, Interference.parse("mech2:mech1").partner(ToyCurve.MECH2));
    assertTrue(Interference.parse(" None ").terms().isEmpty());
    assertEquals("mech1:mech2,mech2:mech1", Interference.parse("mech2:mech1, mech1:mech2").toString());
    for (String bad : new String[] {"mech2", "mech2:", ":mech1", "mech2:mech2", "mech2:mech1,mech2:total", "mech4:mech1",
        ","}) {
      UserInputException e = assertThrows(UserInputException.class, () -> Interference.parse(bad), bad);
      assertEquals(Interference.FIELD, e.field().orElse(null), bad);
    }
    // The default pairing carries the standard term; a parsed one none until asked; unpaired curves drop it.
    assertEquals("mech2:mech1", CurvePairing.defaults().interference().toString());
    assertEquals("none", CurvePairing.parse("mech1=icl_loss,mech2=ciwl_loss").interference().toString());
    assertEquals("none", CurvePairing.parse("mech1=icl_loss").withInterference(Interference.standard())
        .interference().toString());
  }

  /** ICL = 4·L1 + 1 and CIWL = 6·L2 + x·L1 + 0.3 from the toy at the truth, plus noise of a share of the range. */
  private static Observations toyRun(double interference, double noise, long seed) {
    double[] x = new double[120];
    double[] t = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = 1e5 * i;
      t[i] = (x[i] - T0) / TAU;
    }
    double[][] c = MODEL.evaluate(TOY, 0, t);
    double[] icl = new double[x.length];
    double[] ciwl = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      icl[i] = 4 * c[0][i] + 1;
      ciwl[i] = 6 * c[1][i] + interference * c[0][i] + 0.3;
    }
    Random rng = new Random(seed);
    List<Curve> curves = new ArrayList<>();
    for (double[] y : List.of(icl, ciwl)) {
      double range = Arrays.stream(y).max().getAsDouble() - Arrays.stream(y).min().getAsDouble();
      for (int i = 0; i < y.length; i++) {
        y[i] += noise * range * rng.nextGaussian();
      }
    }
    curves.add(new Curve("icl_loss", x, icl));
    curves.add(new Curve("ciwl_loss", x, ciwl));
    return Observations.of(List.of(ToyCurve.MECH1, ToyCurve.MECH2), curves, 200, false)
        .withInterference(Interference.standard());
  }

  private static double sse(double[] f, double[] g, double[] y, double[] m) {
    double s = 0;
    for (int i = 0; i < f.length; i++) {
      double r = y[i] - Objective.mapped(m, f[i], g[i]);
      s += r * r;
    }
    return s;
  }

  private static double mean(double[] a) {
    return Arrays.stream(a).average().getAsDouble();
  }
}
