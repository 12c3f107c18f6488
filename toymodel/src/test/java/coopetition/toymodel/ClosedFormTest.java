package coopetition.toymodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.toymodel.model.Terms;
import coopetition.toymodel.model.ToyModel;
import coopetition.toymodel.model.ToyProblem;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClosedFormTest {
  /** All terms switched on, and small unequal dims so index mix-ups show. */
  static final ToyConfig SMALL = new ToyConfig(3, 4, 2, 5, 0.3, 0.2, 0.05, 0.01, 1.0, 11);

  static double[][] randomPoint(ToyProblem p, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[4][];
    for (ToyVector v : ToyVector.values()) {
      double[] t = p.target(v);
      x[v.ordinal()] = new double[t.length];
      for (int i = 0; i < t.length; i++) {
        // Near the target, so L1 and L2 are small and cancellation in the closed form is tested too.
        x[v.ordinal()][i] = t[i] + 0.3 * r.nextGaussian();
      }
    }
    return x;
  }

  static double[][] targets(ToyProblem p) {
    double[][] t = new double[4][];
    for (ToyVector v : ToyVector.values()) {
      t[v.ordinal()] = p.target(v);
    }
    return t;
  }

  @Test
  void lossesMatchBruteForceTensorMeans() {
    for (long seed = 0; seed < 5; seed++) {
      ToyModel model = ToyModel.of(SMALL.withSeed(seed));
      double[][] x = randomPoint(model.problem(), 100 + seed);
      double[] expected = BruteForce.losses(SMALL, x, targets(model.problem()));
      Terms t = new Terms();
      model.evaluate(x, t, null);
      double[] got = {t.l1, t.l2, t.cost, t.loss};
      for (int i = 0; i < 4; i++) {
        assertEquals(expected[i], got[i], 1e-12 * Math.abs(expected[i]), "term " + i + " seed " + seed);
      }
    }
  }

  @Test
  void nullLossIsL1AtZeroA() {
    ToyModel model = ToyModel.of(ToyConfig.paper().withDims(3, 4, 2, 5));
    double[][] x = randomPoint(model.problem(), 3);
    java.util.Arrays.fill(x[0], 0.0);
    double[] bf = BruteForce.losses(model.config(), x, targets(model.problem()));
    assertEquals(bf[0], model.l1Null(), 1e-12 * bf[0]);
  }

  @Test
  void gradientsMatchCentralFiniteDifferences() {
    for (long seed = 0; seed < 3; seed++) {
      ToyModel model = ToyModel.of(SMALL.withSeed(seed));
      double[][] x = randomPoint(model.problem(), 200 + seed);
      double[][] fd = BruteForce.gradient(SMALL, x, targets(model.problem()), 1e-5);
      double[][] grad = new double[4][];
      for (int v = 0; v < 4; v++) {
        grad[v] = new double[x[v].length];
      }
      model.evaluate(x, new Terms(), grad);
      double scale = 0;
      for (double[] g : fd) {
        for (double e : g) {
          scale = Math.max(scale, Math.abs(e));
        }
      }
      for (int v = 0; v < 4; v++) {
        for (int i = 0; i < x[v].length; i++) {
          assertEquals(fd[v][i], grad[v][i], 1e-7 * scale, "d Loss / d " + ToyVector.values()[v].symbol() + "[" + i + "]");
        }
      }
    }
  }

  @Test
  void targetsAndInitialValuesAreStandardNormalAndDimensionIndependent() {
    ToyProblem p = ToyProblem.sample(ToyConfig.paper().withDims(2000, 20, 20, 4000));
    double[] d = p.initial(ToyVector.D);
    double mean = java.util.Arrays.stream(d).average().orElseThrow();
    double var = java.util.Arrays.stream(d).map(v -> (v - mean) * (v - mean)).sum() / (d.length - 1);
    assertEquals(0, mean, 0.06);
    assertEquals(1, var, 0.08);
    // Changing nd leaves the draws of a, b, c untouched (one stream per vector).
    ToyProblem q = ToyProblem.sample(ToyConfig.paper().withDims(2000, 20, 20, 80));
    assertTrue(java.util.Arrays.equals(p.target(ToyVector.A), q.target(ToyVector.A)));
    assertTrue(java.util.Arrays.equals(p.initial(ToyVector.B), q.initial(ToyVector.B)));
    // init scale multiplies the initial values only.
    ToyProblem s = ToyProblem.sample(ToyConfig.paper().withInitScale(0.5));
    ToyProblem u = ToyProblem.sample(ToyConfig.paper());
    assertEquals(0.5 * u.initial(ToyVector.C)[3], s.initial(ToyVector.C)[3], 1e-15);
    assertTrue(java.util.Arrays.equals(u.target(ToyVector.C), s.target(ToyVector.C)));
  }
}
