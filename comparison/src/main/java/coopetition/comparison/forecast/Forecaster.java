package coopetition.comparison.forecast;

import coopetition.comparison.fit.CurvePairing;
import coopetition.comparison.fit.FitResult;
import coopetition.comparison.fit.FitSettings;
import coopetition.comparison.fit.Observations;
import coopetition.comparison.fit.PlausibleFits;
import coopetition.comparison.fit.ToyCurve;
import coopetition.comparison.fit.ToyFitter;
import coopetition.comparison.fit.ToyModelCurves;
import coopetition.comparison.runs.Curve;
import coopetition.comparison.runs.RunData;
import coopetition.common.UserInputException;
import coopetition.toymodel.ToySimulator;
import coopetition.toymodel.Trajectory;
import coopetition.toymodel.landmark.LandmarkDetector;
import coopetition.toymodel.landmark.Landmarks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fits the toy model to a run's curves up to a sequence count and reads the future off the fitted
 * toy: when L2 overtakes L1 (Flip below 0.5) and when mechanism 1 is lost (Flip below 0.2). Works
 * on a run that is still training: it reads what metrics.csv holds now.
 */
public final class Forecaster {
  /** The forecast looks this many times the fitted span ahead before it says "never". */
  public static final double HORIZON_FACTOR = 10;
  private static final int GRID = 4000;

  private Forecaster() {}

  /**
   * @param upto last sequence count to fit (NaN = everything the run has logged so far)
   * @param proposals parameter sets drawn around the fit for the intervals
   */
  public static Forecast forecast(RunData run, CurvePairing pairing, ToyModelCurves model, FitSettings s,
      Map<String, Double> fixed, double upto, int proposals) {
    List<ToyCurve> roles = new ArrayList<>();
    List<Curve> full = new ArrayList<>();
    pairing.columns().forEach((role, column) -> {
      roles.add(role);
      full.add(run.curve(column));
    });
    double last = Double.POSITIVE_INFINITY;
    for (Curve c : full) {
      last = Math.min(last, c.x()[c.size() - 1]);
    }
    double to = Double.isNaN(upto) ? last : upto;
    UserInputException.requireField(to <= last, "upto", String.format(Locale.ROOT,
        "%.0f sequences is beyond what %s has logged (last evaluation at %.0f); give a value up to %.0f", to,
        run.source(), last, last));
    List<Curve> cut = new ArrayList<>();
    for (Curve c : full) {
      Curve k = upTo(c, to);
      UserInputException.requireField(k != null && k.size() >= 5, "upto", String.format(Locale.ROOT,
          "%.0f sequences leaves %d points of %s; a forecast needs at least 5 per curve", to,
          k == null ? 0 : k.size(), c.name()));
      UserInputException.requireField(k.yMax() > k.yMin(), "upto", "column " + c.name() + " is constant up to "
          + String.format(Locale.ROOT, "%.0f", to) + " sequences; nothing to fit yet");
      cut.add(k);
    }
    Observations obs = Observations.of(roles, cut, s.resamplePoints(), s.logTime())
        .withInterference(pairing.interference());
    FitResult fit = ToyFitter.fit(model, obs, s, fixed);
    PlausibleFits.Result plausible = PlausibleFits.draw(model, obs, s, fixed, fit, proposals, s.randomSeed() + 17);

    double horizon = HORIZON_FACTOR * to;
    double plotEnd = Math.max(last, 3 * to);
    double xMin = obs.xMin();
    double[] xs = new double[300];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = xMin + (plotEnd - xMin) * i / (xs.length - 1);
    }
    List<double[]> cross = new ArrayList<>();
    List<double[]> lo = new ArrayList<>();
    List<double[]> hi = new ArrayList<>();
    List<double[]> best = null;
    double[] crossings = new double[plausible.samples().size()];
    double[] losses = new double[crossings.length];
    for (int k = 0; k < crossings.length; k++) {
      PlausibleFits.Sample smp = plausible.samples().get(k);
      Landmarks ev = landmarks(model, fit.variantIndex(), smp, horizon);
      crossings[k] = ev.cross();
      losses[k] = ev.mech1Lost();
      List<double[]> mapped = mapped(model, fit.variantIndex(), smp, xs, roles, obs.partners());
      if (k == 0) {
        best = mapped;
        for (double[] m : mapped) {
          lo.add(m.clone());
          hi.add(m.clone());
        }
      } else {
        for (int r = 0; r < roles.size(); r++) {
          for (int i = 0; i < xs.length; i++) {
            lo.get(r)[i] = Math.min(lo.get(r)[i], mapped.get(r)[i]);
            hi.get(r)[i] = Math.max(hi.get(r)[i], mapped.get(r)[i]);
          }
        }
      }
    }
    int lostCount = 0;
    for (double l : losses) {
      if (Double.isFinite(l)) {
        lostCount++;
      }
    }
    Curve flip = run.names().contains(FlipCurve.COLUMN) ? tryCurve(run, FlipCurve.COLUMN) : null;
    double obs05 = flip == null ? Double.NaN : FlipCurve.firstBelow(flip, 0.5, Double.POSITIVE_INFINITY);
    double obs02 = flip == null ? Double.NaN : FlipCurve.firstBelow(flip, 0.2, Double.POSITIVE_INFINITY);
    Crossing none = new Crossing(Double.NaN, Double.NaN, Double.NaN);
    Crossing base05 = flip == null ? none : FlipCurve.logitForecast(flip, 0.5, to);
    Crossing base02 = flip == null ? none : FlipCurve.logitForecast(flip, 0.2, to);
    return new Forecast(to, horizon, last, range(crossings), range(losses), Double.isFinite(losses[0]),
        (double) lostCount / losses.length, obs05, obs02, base05, base02, fit, crossings.length,
        new Forecast.Bands(xs, roles, best, lo, hi), full, flip);
  }

  /** The best fit's value (first) and the range over all plausible fits; "never" opens the range above. */
  static Crossing range(double[] v) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    boolean never = false;
    for (double x : v) {
      if (Double.isFinite(x)) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      } else {
        never = true;
      }
    }
    if (never) {
      hi = Double.POSITIVE_INFINITY;
    }
    if (lo == Double.POSITIVE_INFINITY) {
      lo = Double.NaN;
    }
    return new Crossing(v[0], lo, hi);
  }

  /**
   * The toy's landmarks for one parameter set, in sequences, looking up to the horizon, by the toy
   * model's one definition ({@link LandmarkDetector#scan}, the same the fit reports): mechanism 1
   * learned (L1 below a tenth of its null value), L2 below L1 from then on, mechanism 1 lost (L1 back
   * above that tenth).
   */
  static Landmarks landmarks(ToyModelCurves model, int variant, PlausibleFits.Sample smp, double horizon) {
    double tEnd = Math.max(1, (horizon - smp.t0()) / smp.tau());
    double[] t = new double[GRID + 1];
    for (int i = 0; i <= GRID; i++) {
      t[i] = tEnd * i / GRID;
    }
    Trajectory tr = ToySimulator.solve(model.config(smp.toyValues(), variant), model.settings(), t);
    return LandmarkDetector.scan(t, tr.l1(), tr.l2(), tr.l1Null(), tr.l2Null()).mapped(smp.t0(), smp.tau());
  }

  private static List<double[]> mapped(ToyModelCurves model, int variant, PlausibleFits.Sample smp, double[] xs,
      List<ToyCurve> roles, ToyCurve[] partners) {
    double[] t = new double[xs.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = Math.max(0, (xs[i] - smp.t0()) / smp.tau());
    }
    double[][] toy = model.evaluate(smp.toyValues(), variant, t);
    List<double[]> out = new ArrayList<>();
    for (int r = 0; r < roles.size(); r++) {
      double[] y = new double[xs.length];
      for (int i = 0; i < y.length; i++) {
        ToyCurve partner = partners[r];
        y[i] = smp.mapped(r, toy[roles.get(r).ordinal()][i], partner == null ? 0 : toy[partner.ordinal()][i]);
      }
      out.add(y);
    }
    return out;
  }

  /** The points of c with x ≤ upTo, or null if fewer than 2. */
  static Curve upTo(Curve c, double upTo) {
    int n = 0;
    while (n < c.size() && c.x()[n] <= upTo) {
      n++;
    }
    return n < 2 ? null : new Curve(c.name(), Arrays.copyOf(c.x(), n), Arrays.copyOf(c.y(), n));
  }

  private static Curve tryCurve(RunData run, String name) {
    try {
      return run.curve(name);
    } catch (UserInputException e) { // a broken Flip column only costs the comparison with the truth
      return null;
    }
  }
}
