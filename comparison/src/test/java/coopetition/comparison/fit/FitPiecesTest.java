package coopetition.comparison.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.comparison.runs.Curve;
import coopetition.common.UserInputException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FitPiecesTest {
  @Test
  void affineMapIsTheLeastSquaresSolution() {
    double[] f = {0.1, 0.4, 0.35, 0.9, 0.2};
    double[] y = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      y[i] = -3.5 * f[i] + 2.25;
    }
    assertArrayEquals(new double[] {-3.5, 2.25}, Objective.affine(f, y), 1e-12);
    // With noise: residuals orthogonal to 1 and f (normal equations).
    double[] yn = {1.0, 2.0, 1.5, 4.0, 0.5};
    double[] sc = Objective.affine(f, yn);
    double r1 = 0;
    double rf = 0;
    for (int i = 0; i < f.length; i++) {
      double r = yn[i] - sc[0] * f[i] - sc[1];
      r1 += r;
      rf += r * f[i];
    }
    assertEquals(0, r1, 1e-12);
    assertEquals(0, rf, 1e-12);
    assertArrayEquals(new double[] {0, 2.0}, Objective.affine(new double[] {1, 1, 1}, new double[] {1, 2, 3}), 1e-12);
  }

  @Test
  void resamplingKeepsRealPointsAndTheEnds() {
    double[] x = new double[1000];
    double[] y = new double[1000];
    for (int i = 0; i < x.length; i++) {
      x[i] = i * 32.0;
      y[i] = Math.sin(i);
    }
    Curve c = new Curve("c", x, y);
    for (boolean log : new boolean[] {false, true}) {
      Curve r = Resampling.closest(c, 50, log);
      assertTrue(r.size() <= 50 && r.size() >= 30, "size " + r.size());
      assertEquals(0.0, r.x()[0]);
      assertEquals(x[999], r.x()[r.size() - 1]);
      for (int i = 0; i < r.size(); i++) {
        int k = (int) (r.x()[i] / 32);
        assertEquals(y[k], r.y()[i]); // a measured point, not an interpolation
      }
    }
    Curve lin = Resampling.closest(c, 50, false);
    Curve log = Resampling.closest(c, 50, true);
    assertTrue(log.x()[5] < lin.x()[5], "log-time puts more points early");
  }

  @Test
  void parameterUnitCoordinatesRoundTrip() {
    FitParameter p = FitParameter.logScaled("a", 0.01, 1, "");
    assertEquals(0.1, p.fromUnit(0.5), 1e-12);
    assertEquals(0.5, p.toUnit(0.1), 1e-12);
    FitParameter q = FitParameter.linear("b", -2, 2, "");
    assertEquals(0.75, q.toUnit(1), 1e-12);
    assertEquals(3, q.fromUnit(1.25), 1e-12);
  }

  @Test
  void pairingParsesAndRejects() {
    CurvePairing p = CurvePairing.parse("mech1=icl_in_context_acc, total=train_eval_loss");
    assertEquals("icl_in_context_acc", p.columns().get(ToyCurve.MECH1));
    assertEquals(2, p.columns().size());
    assertEquals("mech1=icl_loss,mech2=ciwl_loss,total=train_loss", CurvePairing.defaults().toString());
    assertThrows(UserInputException.class, () -> CurvePairing.parse("mech1=a,mech1=b"));
    assertThrows(UserInputException.class, () -> CurvePairing.parse("mech1"));
    assertThrows(UserInputException.class, () -> CurvePairing.parse(""));
  }

  @Test
  void objectiveIsZeroAtTheTruthOfNoiselessToyCurves() {
    ToyModelCurves model = new ToyModelCurves(List.of(0L), List.of(8), 20, coopetition.toymodel.Solver.FLOW_REDUCED);
    double[] toy = {0.1, 0.1, 0.0, 1.0};
    double tau = 1000;
    double t0 = -5000;
    double[] x = new double[80];
    double[] t = new double[80];
    for (int i = 0; i < x.length; i++) {
      x[i] = 1e5 * i;
      t[i] = (x[i] - t0) / tau;
    }
    double[][] c = model.evaluate(toy, 0, t);
    List<Curve> curves = List.of(new Curve("a", x, scale(c[0], 4, 1)), new Curve("b", x, scale(c[1], 2, 0.5)));
    Observations obs = Observations.of(List.of(ToyCurve.MECH1, ToyCurve.MECH2), curves, 200, false);
    FitSettings s = FitSettings.defaults();
    List<FitParameter> ps = ToyFitter.parameters(model, obs, s);
    double[] truth = {toy[0], toy[1], toy[2], toy[3], tau, t0};
    double[] u = new double[truth.length];
    for (int i = 0; i < u.length; i++) {
      u[i] = ps.get(i).toUnit(truth[i]);
    }
    double[] free = new double[truth.length];
    java.util.Arrays.fill(free, Double.NaN);
    AtomicLong solves = new AtomicLong();
    Objective o = new Objective(model, 0, obs.roles(), ps, free, solves);
    Objective.Eval e = o.eval(u, Objective.Data.of(obs.sampled(), obs.full()));
    assertTrue(e.sse() < 1e-12, "sse " + e.sse());
    assertArrayEquals(new double[] {4, 1}, e.affine()[0], 1e-6);
    assertArrayEquals(new double[] {2, 0.5}, e.affine()[1], 1e-6);
    assertEquals(1, solves.get(), "one toy solve per evaluation");
  }

  @Test
  void finiteDifferenceJacobianIsExactForALinearMapAndOneSidedAtTheEdge() {
    // f(u) = (2 u0 - 3 u1, 5 u1): central differences are exact; at u1 = 1 the step is cut at the edge.
    java.util.function.Function<double[], double[]> f = u -> new double[] {2 * u[0] - 3 * u[1], 5 * u[1]};
    for (double[] u : new double[][] {{0.3, 0.6}, {0.0, 1.0}}) {
      double[][] j = FiniteDifference.jacobian(f, u, 2);
      assertArrayEquals(new double[] {2, -3}, j[0], 1e-9);
      assertArrayEquals(new double[] {0, 5}, j[1], 1e-9);
    }
    // A point where f cannot be evaluated leaves that column zero.
    double[][] j = FiniteDifference.jacobian(u -> {
      if (u[1] > 0.5) {
        throw new ArithmeticException("blow-up");
      }
      return new double[] {u[0] + u[1]};
    }, new double[] {0.2, 0.5}, 1);
    assertArrayEquals(new double[] {1, 0}, j[0], 1e-9);
  }

  @Test
  void bracketingFindsTheEdgeOfTheRegionAndStopsAtTheBox() {
    // Inside for d <= 3.3: tries 1, 2, 4 (outside), then 6 bisections of [2, 4].
    List<Double> probes = new java.util.ArrayList<>();
    double edge = Bracketing.walkOut(1, 2, 8, 6, d -> {
      probes.add(d);
      return new Bracketing.Step(d, d <= 3.3, false);
    });
    assertEquals(3 + 6, probes.size());
    assertTrue(edge <= 3.3 && edge > 3.3 - 2.0 / 64, "edge " + edge);
    // A probe that reaches the box edge inside the region ends the walk there.
    double atBox = Bracketing.walkOut(1, 2, 8, 6, d -> new Bracketing.Step(Math.min(d, 1.5), true, d >= 1.5));
    assertEquals(1.5, atBox);
    // Outside from the first try: nothing is known inside but the start.
    assertEquals(0, Bracketing.walkOut(1, 2, 8, 3, d -> new Bracketing.Step(d, false, false)), 1e-12);
  }

  private static double[] scale(double[] v, double s, double o) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = s * v[i] + o;
    }
    return out;
  }
}
