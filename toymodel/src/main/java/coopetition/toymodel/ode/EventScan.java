package coopetition.toymodel.ode;

import coopetition.toymodel.landmark.Landmark;
import coopetition.toymodel.landmark.LandmarkDetector;
import coopetition.toymodel.landmark.Landmarks;
import coopetition.toymodel.model.Terms;

/**
 * The built-in DOPRI5's events: the early stop (Loss falls below the threshold) and, when asked for,
 * the {@link Landmark}s. Sign changes of the level functions are found at the step ends and located
 * on the {@link DenseOutput} by the Illinois variant of regula falsi, so each costs a few
 * interpolations. Everything is allocated once per solve.
 */
final class EventScan {
  /** Events are located to this many time units. */
  private static final double TIME_ACCURACY = 1e-7;

  /** A function of the losses whose zero is an event. */
  @FunctionalInterface
  private interface Level {
    double of(Terms t);
  }

  private final Dynamics dyn;
  private final DenseOutput dense;
  private final double threshold;
  /** Null when landmarks are not asked for. */
  private final LandmarkDetector marks;
  private final Level stopLevel;
  private final Level[] landmarkLevels;
  private final LandmarkDetector.Locator onDenseOutput;
  private final double[] y;
  private final Terms probe = new Terms();
  /** Loss - threshold at the start of the current step. */
  private double gStop;
  private boolean stoppedAtStart;

  EventScan(Dynamics dyn, DenseOutput dense, double threshold, boolean landmarks) {
    this.dyn = dyn;
    this.dense = dense;
    this.threshold = threshold;
    this.y = new double[dense.n];
    this.stopLevel = t -> t.loss - threshold;
    if (landmarks) {
      LandmarkDetector d = new LandmarkDetector(dyn.model().l1Null(), dyn.model().l2Null());
      marks = d;
      landmarkLevels = new Level[Landmark.values().length];
      for (Landmark m : Landmark.values()) {
        landmarkLevels[m.ordinal()] = t -> d.level(m, t.l1, t.l2);
      }
      onDenseOutput = (m, ta, tb, ga, gb) -> locate(landmarkLevels[m.ordinal()], ta, tb, ga, gb);
    } else {
      marks = null;
      landmarkLevels = null;
      onDenseOutput = null;
    }
  }

  /** The losses at t = 0. */
  void start(Terms t) {
    gStop = t.loss - threshold;
    stoppedAtStart = threshold > 0 && gStop < 0;
    if (marks != null) {
      marks.start(0, t.l1, t.l2);
    }
  }

  /** True when Loss was below the threshold from the start. */
  boolean stoppedAtStart() {
    return stoppedAtStart;
  }

  /**
   * Checks the accepted step [ta, tb] whose end has losses {@code end}; records landmarks up to the
   * stop; returns the stop time if Loss fell below the threshold in this step, else NaN.
   */
  double scan(double ta, double tb, Terms end) {
    double eStop = end.loss - threshold;
    double stop = Double.NaN;
    if (threshold > 0 && gStop >= 0 && eStop < 0) {
      stop = locate(stopLevel, ta, tb, gStop, eStop);
    }
    gStop = eStop;
    if (marks != null) {
      marks.advance(tb, end.l1, end.l2, Double.isNaN(stop) ? tb : stop, onDenseOutput);
    }
    return stop;
  }

  /** The landmarks found, or null when they were not asked for. */
  Landmarks landmarks() {
    return marks == null ? null : marks.landmarks();
  }

  /** Root of g on the dense output in [ta, tb] by the Illinois variant of regula falsi. */
  private double locate(Level g, double ta, double tb, double ga, double gb) {
    double a = ta;
    double b = tb;
    double fa = ga;
    double fb = gb;
    int side = 0;
    for (int it = 0; it < 100 && b - a > TIME_ACCURACY; it++) {
      double c = (a * fb - b * fa) / (fb - fa);
      if (!(c > a && c < b)) {
        c = 0.5 * (a + b);
      }
      dense.interpolate(c, y);
      dyn.evaluate(y, probe);
      double fc = g.of(probe);
      if (fc == 0) {
        return c;
      }
      if ((fc > 0) == (fa > 0)) {
        a = c;
        fa = fc;
        if (side == -1) {
          fb *= 0.5;
        }
        side = -1;
      } else {
        b = c;
        fb = fc;
        if (side == 1) {
          fa *= 0.5;
        }
        side = 1;
      }
    }
    // The first time with g on the far side: b (g(b) has the end-of-step sign).
    return b;
  }
}
