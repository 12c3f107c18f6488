package coopetition.toymodel.landmark;

import java.util.Arrays;

/**
 * Finds the {@link Landmark}s of one trajectory as it is produced, whatever produces it. Three ways
 * to feed it, one rule for all:
 * <ul>
 *   <li>{@link #advance(double, double, double, double, Locator)}: the solution moved on by one
 *       interval (a DOPRI5 step, a GD step, two samples of a curve); sign changes of the level
 *       functions at the interval's ends are located by the caller's {@link Locator} (on a dense
 *       output) or by {@link #LINEAR} interpolation (discrete steps, samples);</li>
 *   <li>{@link #crossed(Landmark, double, double, double)}: an integrator with its own event
 *       detection (Hipparchus) found a level function falling through zero.</li>
 * </ul>
 * Allocation-free after construction, so the built-in DOPRI5 can call it every step. Not shared
 * between threads.
 */
public final class LandmarkDetector {
  private static final Landmark[] ALL = Landmark.values();

  /** Finds where a landmark's level function crosses zero inside an interval. */
  @FunctionalInterface
  public interface Locator {
    /** A time in (ta, tb] at which the level of {@code m}, ga at ta (>= 0) and gb at tb (< 0), reaches 0. */
    double locate(Landmark m, double ta, double tb, double ga, double gb);
  }

  /** Linear interpolation between the interval's ends: discrete steps and sampled curves. */
  public static final Locator LINEAR = (m, ta, tb, ga, gb) -> ta + (tb - ta) * ga / (ga - gb);

  private final double l1Null;
  private final double l2Null;
  private final double[] time = new double[ALL.length];
  /** Level functions at the end of the last interval. */
  private final double[] level = new double[ALL.length];
  private double tLast = Double.NaN;

  public LandmarkDetector(double l1Null, double l2Null) {
    this.l1Null = l1Null;
    this.l2Null = l2Null;
    Arrays.fill(time, Double.NaN);
  }

  /** The level function of {@code m} at losses (l1, l2). */
  public double level(Landmark m, double l1, double l2) {
    return m.level(l1, l2, l1Null, l2Null);
  }

  /** The first state, at time t: landmarks that hold already happen at t. */
  public void start(double t, double l1, double l2) {
    for (Landmark m : ALL) {
      level[m.ordinal()] = level(m, l1, l2);
    }
    tLast = t;
    advance(t, l1, l2, t, LINEAR);
  }

  /**
   * The solution reached losses (l1, l2) at time tb. Landmarks inside (previous time, tb] are
   * located by {@code locator}; those after {@code limit} (an early stop) are not recorded.
   */
  public void advance(double tb, double l1, double l2, double limit, Locator locator) {
    double ta = tLast;
    for (Landmark m : ALL) {
      int i = m.ordinal();
      double ga = level[i];
      double gb = level(m, l1, l2);
      level[i] = gb;
      if (!Double.isNaN(time[i]) || !(gb < 0)) {
        continue;
      }
      double from = ta;
      if (m.after() != null) {
        from = time[m.after().ordinal()];
        if (Double.isNaN(from)) {
          continue;
        }
      }
      // Below zero at both ends: it held when its prerequisite happened in this interval.
      double t = ga >= 0 ? Math.max(locator.locate(m, ta, tb, ga, gb), from) : Math.max(from, ta);
      if (t <= limit) {
        time[i] = t;
      }
    }
    tLast = tb;
  }

  /**
   * The level function of {@code m} fell through zero at time t, where the losses are (l1, l2), as
   * located by an integrator's own event detection; rising crossings are not landmarks and are not
   * reported here. Landmarks waiting for {@code m} that hold at t happen at t.
   */
  public void crossed(Landmark m, double t, double l1, double l2) {
    int i = m.ordinal();
    if (!Double.isNaN(time[i])) {
      return;
    }
    double from = t;
    if (m.after() != null) {
      from = time[m.after().ordinal()];
      if (Double.isNaN(from)) {
        return;
      }
    }
    time[i] = Math.max(t, from);
    for (Landmark d : ALL) {
      if (d.after() == m && Double.isNaN(time[d.ordinal()]) && !d.reverses(m) && level(d, l1, l2) < 0) {
        time[d.ordinal()] = time[i];
      }
    }
  }

  /** Whether a landmark has been found so far. */
  public boolean found(Landmark m) {
    return !Double.isNaN(time[m.ordinal()]);
  }

  /** The landmarks found so far. */
  public Landmarks landmarks() {
    return Landmarks.of(time);
  }

  /** The landmarks of sampled curves, with linear interpolation between samples. */
  public static Landmarks scan(double[] t, double[] l1, double[] l2, double l1Null, double l2Null) {
    LandmarkDetector d = new LandmarkDetector(l1Null, l2Null);
    d.start(t[0], l1[0], l2[0]);
    for (int i = 1; i < t.length; i++) {
      d.advance(t[i], l1[i], l2[i], Double.POSITIVE_INFINITY, LINEAR);
    }
    return d.landmarks();
  }
}
