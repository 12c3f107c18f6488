package coopetition.comparison.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.comparison.fit.CurvePairing;
import coopetition.comparison.fit.FitSettings;
import coopetition.comparison.fit.PlausibleFits;
import coopetition.comparison.fit.ToyModelCurves;
import coopetition.comparison.report.SyntheticRun;
import coopetition.comparison.runs.Curve;
import coopetition.comparison.runs.RunData;
import coopetition.comparison.runs.RunReaders;
import coopetition.common.UserInputException;
import coopetition.toymodel.landmark.Landmarks;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecasterTest {
  private static final ToyModelCurves MODEL = ToyModelCurves.paperDims(1);

  /** A toy-generated run: the toy's own crossing is the truth, the forecast sees only the first part. */
  @Test
  void aForecastOnAToyCurvePredictsItsOwnCrossingWithinItsInterval(@TempDir Path dir) {
    SyntheticRun truth = new SyntheticRun(new double[] {0.1, 0.1, 0.0, 1.0}, 0, 2000.0, -1.0e5,
        new double[][] {{5.0, 1.0}, {6.0, 0.3}, {8.0, 0.2}}, 0.02, 42L, 200, 2.0e7);
    RunData run = RunReaders.open(truth.write(dir, MODEL), "seqs");
    Landmarks events = Forecaster.landmarks(MODEL, 0,
        new PlausibleFits.Sample(truth.toyValues(), truth.tau(), truth.t0(), null, 0), 2.0e7);
    assertTrue(events.cross() > events.mech1Learned() && events.cross() < 2.0e7, events.toString());
    // Forecast from three quarters of the way from mechanism 1 learned to the crossing, with mu2 held
    // at the paper's 0: from halfway, or with mu2 free, the curves so far do not yet pin down when L2
    // will overtake (a fit with mu2 on its box edge then predicts no crossing at all).
    double upto = events.mech1Learned() + 0.75 * (events.cross() - events.mech1Learned());
    FitSettings s = FitSettings.defaults().withThreads(2).withSearch(2, 300, 2).withBootstrap(0).withProfile(false)
        .withProgress(false);
    Forecast f = Forecaster.forecast(run, CurvePairing.defaults(), MODEL, s, Map.of("mu2", 0.0), upto, 200);
    assertEquals(upto, f.upto());
    String info = events + " forecast " + f.flipBelow05() + " lost " + f.flipBelow02() + " fit " + f.fit().parameters()
        + " " + f.fit().curves();
    assertTrue(f.flipBelow05().happens(), "the toy's crossing should be forecast: " + info);
    assertTrue(f.flipBelow05().covers(events.cross()), "true crossing outside the interval: " + info);
    assertTrue(f.plausibleFits() > 1);
    assertNotNull(f.bands());
  }

  @Test
  void uptoBeyondTheRunIsOneClearLineNamingTheField(@TempDir Path dir) {
    RunData run = RunReaders.open(SyntheticRun.demo().write(dir, MODEL), "seqs");
    UserInputException e = assertThrows(UserInputException.class, () -> Forecaster.forecast(run,
        CurvePairing.defaults(), MODEL, FitSettings.defaults().withThreads(1), Map.of(), 3.0e7, 10));
    assertEquals("upto", e.field().orElseThrow());
    assertTrue(e.getMessage().contains("beyond what"), e.getMessage());
    assertTrue(e.getMessage().contains("last evaluation at 20000000"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"));
  }

  @Test
  void flipCrossingsAndTheLogitBaseline() {
    double[] x = {0, 100, 200, 300, 400, 500, 600};
    double[] y = {0.5, 0.9, 0.8, 0.6, 0.45, 0.3, 0.15};
    Curve c = new Curve("flip_in_context_acc", x, y);
    assertEquals(400, FlipCurve.firstBelow(c, 0.5, Double.POSITIVE_INFINITY));
    assertEquals(600, FlipCurve.firstBelow(c, 0.2, Double.POSITIVE_INFINITY));
    assertTrue(Double.isNaN(FlipCurve.firstBelow(c, 0.2, 500)));
    Crossing b = FlipCurve.logitForecast(c, 0.5, 600);
    assertTrue(b.estimate() > 300 && b.estimate() < 450, "baseline " + b);
    assertTrue(b.lo() < b.estimate() && b.estimate() < b.hi(), "baseline " + b);
    assertTrue(Double.isNaN(FlipCurve.logitForecast(c, 0.5, 250).estimate()), "too few points after the peak");
    Crossing r = Forecaster.range(new double[] {5, 3, Double.NaN, 8});
    assertEquals(5, r.estimate());
    assertEquals(3, r.lo());
    assertEquals(Double.POSITIVE_INFINITY, r.hi());
    assertTrue(r.covers(Double.NaN));
  }
}
