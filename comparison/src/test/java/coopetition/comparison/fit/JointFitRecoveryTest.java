package coopetition.comparison.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import coopetition.comparison.runs.Curve;
import coopetition.toymodel.Summary;
import coopetition.toymodel.ToySimulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A joint fit recovers what was planted: two toy-generated runs share mu1 and differ in alpha (each
 * with its own time scale, affine maps and 2% noise); the fit with mu1 shared puts every true value
 * inside its simultaneous 95% interval, and the comparison of hypotheses says alpha must differ.
 */
class JointFitRecoveryTest {
  private static final ToyModelCurves MODEL = new ToyModelCurves(List.of(0L), List.of(8), 20,
      coopetition.toymodel.Solver.FLOW_REDUCED);
  private static final double MU1 = 0.1;
  private static final double[] ALPHA = {0.06, 0.2};
  private static final Map<String, Double> FIXED = Map.of("mu2", 0.0, "init_scale", 1.0);

  /** Toy curves at the given alpha, the whole transition inside a run of {@code xMax} sequences. */
  static Observations run(double alpha, double xMax, long noiseSeed, int points) {
    double[] toy = {alpha, MU1, 0.0, 1.0};
    Summary s = Summary.of(ToySimulator.solve(MODEL.config(toy, 0), MODEL.settings(), ToySimulator.grid(20000, 20)));
    assertTrue(s.mech1Learned() && s.tCross() < 15000, "planted case must cross: " + s.tCross());
    double tEnd = s.tCross() + 3000;
    double t0 = -0.01 * xMax;
    double tau = (xMax - t0) / tEnd;
    double[] x = new double[points];
    double[] t = new double[points];
    for (int i = 0; i < points; i++) {
      x[i] = xMax * i / (points - 1);
      t[i] = (x[i] - t0) / tau;
    }
    double[][] clean = MODEL.evaluate(toy, 0, t);
    double[][] affine = {{5, 1}, {6, 0.3}, {8, 0.2}};
    String[] names = {"icl_loss", "ciwl_loss", "train_loss"};
    Random rng = new Random(noiseSeed);
    List<Curve> curves = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      double[] y = new double[points];
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < points; i++) {
        y[i] = affine[c][0] * clean[c][i] + affine[c][1];
        lo = Math.min(lo, y[i]);
        hi = Math.max(hi, y[i]);
      }
      for (int i = 0; i < points; i++) {
        y[i] += 0.02 * (hi - lo) * rng.nextGaussian();
      }
      curves.add(new Curve(names[c], x, y));
    }
    return Observations.of(List.of(ToyCurve.MECH1, ToyCurve.MECH2, ToyCurve.TOTAL), curves, points, false);
  }

  @Test
  void recoversPlantedSharedAndPerRunParameters() {
    List<Observations> obs = List.of(run(ALPHA[0], 3e6, 1, 80), run(ALPHA[1], 2e6, 2, 80));
    FitSettings s = FitSettings.defaults().withThreads(2).withSearch(2, 250, 2).withBootstrap(0).withProfile(false);
    JointResult r = JointFitter.fit(MODEL, List.of("a", "b"), obs, List.of("mu1"), s, FIXED);
    assertEquals(List.of("mu1"), r.shared());
    String info = r.perRun().get(0).parameters() + "\n" + r.perRun().get(1).parameters() + "\n"
        + r.comparison().rows() + "\n" + r.comparison().tests();
    for (int k = 0; k < 2; k++) {
      FitResult f = r.perRun().get(k);
      assertTrue(f.estimate("alpha").jointlyCovers(ALPHA[k]), "alpha of run " + k + ": " + info);
      assertTrue(f.estimate("mu1").jointlyCovers(MU1), "shared mu1: " + info);
      for (FitResult.CurveFit c : f.curves()) {
        assertTrue(c.r2() > 0.97, c + "\n" + info);
      }
    }
    assertEquals(r.perRun().get(0).estimate("mu1").value(), r.perRun().get(1).estimate("mu1").value(), 0.0);
    // Hypotheses: all shared, alpha per run, mu1 per run, none shared; more freedom never fits worse.
    assertEquals(4, r.comparison().rows().size(), info);
    assertTrue(r.comparison().tests().get(0).rejects(), "the runs differ: " + info);
    SharingComparison.Test alphaMust = r.comparison().tests().get(1);
    assertEquals("alpha per run", alphaMust.alternative(), info);
    assertTrue(alphaMust.rejects(), "alpha must differ: " + info);
    assertTrue(r.comparison().verdict().contains("must differ between runs: alpha"), r.comparison().verdict());
    double none = r.comparison().rows().get(3).weightedSse();
    for (SharingComparison.Row row : r.comparison().rows()) {
      assertTrue(row.weightedSse() >= none * (1 - 1e-9), info);
    }
  }

  @Test
  void sharingAHeldOrUnknownParameterIsOneLineOnTheSharedField() {
    List<Observations> obs = List.of(run(ALPHA[0], 3e6, 1, 40), run(ALPHA[1], 2e6, 2, 40));
    FitSettings s = FitSettings.defaults().withThreads(1);
    UserInputException e = assertThrows(UserInputException.class,
        () -> JointFitter.fit(MODEL, List.of("a", "b"), obs, List.of("mu2"), s, FIXED));
    assertEquals("shared", e.field().orElseThrow());
    assertTrue(e.getMessage().contains("'mu2' is not a free toy parameter"), e.getMessage());
    assertThrows(UserInputException.class,
        () -> JointFitter.fit(MODEL, List.of("a"), obs.subList(0, 1), List.of("mu1"), s, FIXED));
  }
}
