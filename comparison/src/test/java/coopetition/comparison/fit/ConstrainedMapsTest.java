package coopetition.comparison.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConstrainedMapsTest {
  @Test
  void aScaleOutsideItsBoundsIsClampedAndTheOffsetRefitted() {
    double[] f = {0.1, 0.4, 0.35, 0.9, 0.2};
    double[] y = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      y[i] = -3.5 * f[i] + 2.25; // moves against f: a loss curve cannot be mapped so
    }
    double[] pos = Objective.affine(f, y, 1.0, 10.0);
    assertEquals(1.0, pos[0], 1e-12);
    double mf = (0.1 + 0.4 + 0.35 + 0.9 + 0.2) / 5;
    double my = 0;
    for (double v : y) {
      my += v / 5;
    }
    assertEquals(my - mf, pos[1], 1e-12); // offset solved for the clamped scale
    // Inside the bounds the unconstrained solution stands.
    assertArrayEquals(new double[] {-3.5, 2.25}, Objective.affine(f, y, -10, -1), 1e-12);
    // A sliver: the huge scale an unconstrained fit would take is capped.
    assertEquals(-10, Objective.affine(f, new double[] {-900, -3600, -3150, -8100, -1800}, -10, -1)[0], 1e-12);
  }

  @Test
  void boundsFollowRunRangeOverToyRange() {
    double[] b = Objective.scaleBounds(9.0, 0.5);
    assertEquals(18.0 / Objective.SCALE_SLACK, b[0], 1e-12);
    assertEquals(18.0 * Objective.SCALE_SLACK, b[1], 1e-12);
    assertArrayEquals(new double[] {0, 0}, Objective.scaleBounds(9.0, 0), 0);
  }

  @Test
  void accuraciesMoveAgainstTheirLossCurve() {
    assertEquals(-1, Objective.expectedSign("icl_in_context_acc"));
    assertEquals(-1, Objective.expectedSign("flip_in_context_prob"));
    assertEquals(1, Objective.expectedSign("icl_loss"));
    assertEquals(1, Objective.expectedSign("train_loss"));
  }

  @Test
  void qualityNamesEveryFailedCriterion() {
    FitResult.CurveFit good = new FitResult.CurveFit(ToyCurve.MECH1, "icl_loss", 2, 1, 3, 0, 0, 0, 0.95, 0.1, 10);
    FitResult.CurveFit poor = new FitResult.CurveFit(ToyCurve.MECH2, "ciwl_loss", 2, 1, 3, 0, 0, 0, 0.80, 0.1, 10);
    FitResult.CurveFit against = new FitResult.CurveFit(ToyCurve.TOTAL, "train_loss", -2, -3, -1, 0, 0, 0, 0.99, 0.1,
        10);
    FitQuality ok = FitQuality.assess(result(List.of(good)), 100, 200, 300, 0, 1000);
    assertTrue(ok.meetsBar(), ok.line());
    assertTrue(ok.line().startsWith("fit meets the bar"), ok.line());
    FitQuality bad = FitQuality.assess(result(List.of(good, poor, against)), -50, 200, Double.NaN, 0, 1000);
    assertFalse(bad.meetsBar());
    assertEquals(4, bad.failures().size(), bad.line());
    assertTrue(bad.line().contains("R² 0.800 on ciwl_loss"), bad.line());
    assertTrue(bad.line().contains("train_loss moves against"), bad.line());
    assertTrue(bad.line().contains("mechanism 1 learned at -50, outside the data"), bad.line());
    assertTrue(bad.line().contains("mechanism 1 lost never happens"), bad.line());
    assertFalse(bad.line().contains("\n"));
  }

  private static FitResult result(List<FitResult.CurveFit> curves) {
    return new FitResult("seed 0", 0, List.of(), curves, new double[4], 1, 0, 1, 10, 5, 1, 1, List.of(), 0, 0, 0,
        List.of());
  }
}
