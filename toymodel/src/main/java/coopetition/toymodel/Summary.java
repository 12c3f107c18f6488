package coopetition.toymodel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What happened in one trajectory, in the coopetition story's terms. Mechanism i is "learned" when
 * its loss falls below a tenth of its null value (the loss with a = 0, resp. d = 0); mechanism 1 is
 * "transient" when it was learned and ends above half its null value again (the toy analogue of ICL
 * transience). Times are the first crossings; NaN where the event never happened.
 */
public record Summary(
    double l1Null,
    double l2Null,
    double l1Min,
    double tL1Min,
    double l1Final,
    double l2Final,
    double lossFinal,
    boolean mech1Learned,
    boolean mech2Learned,
    boolean mech1Transient,
    double tMech1Learned,
    double tMech2Learned,
    double tCross,
    double tStop,
    long rhsEvaluations,
    double wallMs) {

  /** A mechanism counts as learned below this fraction of its null loss. */
  public static final double LEARNED_FRACTION = 0.1;
  /** A learned mechanism 1 counts as transient when it ends above this fraction of its null loss. */
  public static final double TRANSIENT_FRACTION = 0.5;

  /** Column names, in the order of {@link #values()}. */
  public static final java.util.List<String> FIELDS = java.util.List.of(
      "l1_null", "l2_null", "l1_min", "t_l1_min", "l1_final", "l2_final", "loss_final",
      "mech1_learned", "mech2_learned", "mech1_transient", "t_mech1_learned", "t_mech2_learned",
      "t_cross", "t_stop", "rhs_evaluations", "wall_ms");

  /**
   * Summarises a solved trajectory. Transition times come from the flow's event detectors where they
   * ran and fired, otherwise from the samples with linear interpolation between output times.
   */
  public static Summary of(Trajectory tr) {
    Summary s = of(tr.t(), tr.loss(), tr.l1(), tr.l2(), tr.l1Null(), tr.l2Null(),
        tr.stopTime(), tr.rhsEvaluations(), tr.wallNanos() / 1e6);
    Trajectory.Events ev = tr.events();
    if (ev == null) {
      return s;
    }
    return new Summary(s.l1Null, s.l2Null, s.l1Min, s.tL1Min, s.l1Final, s.l2Final, s.lossFinal,
        s.mech1Learned, s.mech2Learned, s.mech1Transient,
        prefer(ev.mech1Learned(), s.tMech1Learned), prefer(ev.mech2Learned(), s.tMech2Learned),
        prefer(ev.cross(), s.tCross), s.tStop, s.rhsEvaluations, s.wallMs);
  }

  /** Summarises sampled curves alone (e.g. a trajectory from elsewhere). */
  public static Summary of(double[] t, double[] loss, double[] l1, double[] l2, double l1Null,
      double l2Null, double tStop, long rhsEvaluations, double wallMs) {
    int n = t.length;
    if (n == 0 || l1.length != n || l2.length != n || loss.length != n) {
      throw new IllegalArgumentException("summary needs equally long, non-empty curves");
    }
    int iMin = 0;
    for (int i = 1; i < n; i++) {
      if (l1[i] < l1[iMin]) {
        iMin = i;
      }
    }
    double l1Level = LEARNED_FRACTION * l1Null;
    double l2Level = LEARNED_FRACTION * l2Null;
    boolean learned1 = l1[iMin] < l1Level;
    boolean learned2 = min(l2) < l2Level;
    double t1 = firstBelow(t, l1, null, l1Level, 0);
    double t2 = firstBelow(t, l2, null, l2Level, 0);
    double cross = Double.NaN;
    if (learned1) {
      // First time at or after t1 with L2 < L1, i.e. L2 - L1 below 0.
      int from = 0;
      while (from < n && t[from] < t1) {
        from++;
      }
      cross = firstBelow(t, l2, l1, 0.0, Math.max(0, from - 1));
      if (cross < t1) {
        cross = t1;
      }
    }
    return new Summary(l1Null, l2Null, l1[iMin], t[iMin], l1[n - 1], l2[n - 1], loss[n - 1],
        learned1, learned2, learned1 && l1[n - 1] > TRANSIENT_FRACTION * l1Null,
        t1, t2, cross, tStop, rhsEvaluations, wallMs);
  }

  /**
   * First time at which y - minus (minus may be null for 0) falls below level, searching from index
   * {@code from}, interpolated linearly between samples; NaN if never.
   */
  static double firstBelow(double[] t, double[] y, double[] minus, double level, int from) {
    for (int i = from; i < t.length; i++) {
      double gi = y[i] - (minus == null ? 0 : minus[i]) - level;
      if (gi < 0) {
        if (i == from) {
          return t[i];
        }
        double gp = y[i - 1] - (minus == null ? 0 : minus[i - 1]) - level;
        return t[i - 1] + (t[i] - t[i - 1]) * gp / (gp - gi);
      }
    }
    return Double.NaN;
  }

  private static double min(double[] y) {
    double m = Double.POSITIVE_INFINITY;
    for (double v : y) {
      m = Math.min(m, v);
    }
    return m;
  }

  private static double prefer(double event, double sampled) {
    return Double.isFinite(event) ? event : sampled;
  }

  /** The fields in {@link #FIELDS} order (booleans as booleans, NaN kept). */
  public Object[] values() {
    return new Object[] {l1Null, l2Null, l1Min, tL1Min, l1Final, l2Final, lossFinal,
        mech1Learned, mech2Learned, mech1Transient, tMech1Learned, tMech2Learned, tCross, tStop,
        rhsEvaluations, wallMs};
  }

  /** Field name to value, in order; NaN becomes null (JSON has no NaN). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    Object[] v = values();
    for (int i = 0; i < v.length; i++) {
      Object x = v[i];
      if (x instanceof Double d && !Double.isFinite(d)) {
        x = null;
      }
      m.put(FIELDS.get(i), x);
    }
    return m;
  }
}
