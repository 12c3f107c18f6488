package coopetition.toymodel;

import coopetition.toymodel.landmark.Landmark;
import coopetition.toymodel.landmark.LandmarkDetector;
import coopetition.toymodel.landmark.Landmarks;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What happened in one trajectory, in the coopetition story's terms: the times of the
 * {@link Landmark}s (NaN where one never happened) and whether mechanism 1 was transient
 * ({@link Landmark#endsTransient}), plus the losses that matter.
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
    double tMech1Lost,
    double tStop,
    long rhsEvaluations,
    double wallMs) {

  /** Column names, in the order of {@link #values()}. */
  public static final java.util.List<String> FIELDS = java.util.List.of(
      "l1_null", "l2_null", "l1_min", "t_l1_min", "l1_final", "l2_final", "loss_final",
      "mech1_learned", "mech2_learned", "mech1_transient", "t_mech1_learned", "t_mech2_learned",
      "t_cross", "t_mech1_lost", "t_stop", "rhs_evaluations", "wall_ms");

  /**
   * Summarises a solved trajectory. Landmark times come from the solver's event detection where it
   * ran and found them, otherwise from the samples with linear interpolation between output times.
   */
  public static Summary of(Trajectory tr) {
    Summary s = of(tr.t(), tr.loss(), tr.l1(), tr.l2(), tr.l1Null(), tr.l2Null(),
        tr.stopTime(), tr.rhsEvaluations(), tr.wallNanos() / 1e6);
    if (tr.landmarks() == null) {
      return s;
    }
    return s.withLandmarks(tr.landmarks().orElse(s.landmarks()));
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
    Landmarks m = LandmarkDetector.scan(t, l1, l2, l1Null, l2Null);
    boolean learned1 = m.happened(Landmark.MECH1_LEARNED);
    return new Summary(l1Null, l2Null, l1[iMin], t[iMin], l1[n - 1], l2[n - 1], loss[n - 1],
        learned1, m.happened(Landmark.MECH2_LEARNED), Landmark.endsTransient(learned1, l1[n - 1], l1Null),
        m.mech1Learned(), m.mech2Learned(), m.cross(), m.mech1Lost(), tStop, rhsEvaluations, wallMs);
  }

  /** The landmark times. */
  public Landmarks landmarks() {
    return new Landmarks(tMech1Learned, tMech2Learned, tCross, tMech1Lost);
  }

  /** This summary with other landmark times (the learned flags follow them). */
  public Summary withLandmarks(Landmarks m) {
    boolean learned1 = m.happened(Landmark.MECH1_LEARNED);
    return new Summary(l1Null, l2Null, l1Min, tL1Min, l1Final, l2Final, lossFinal, learned1,
        m.happened(Landmark.MECH2_LEARNED), Landmark.endsTransient(learned1, l1Final, l1Null),
        m.mech1Learned(), m.mech2Learned(), m.cross(), m.mech1Lost(), tStop, rhsEvaluations, wallMs);
  }

  /** The fields in {@link #FIELDS} order (booleans as booleans, NaN kept). */
  public Object[] values() {
    return new Object[] {l1Null, l2Null, l1Min, tL1Min, l1Final, l2Final, lossFinal,
        mech1Learned, mech2Learned, mech1Transient, tMech1Learned, tMech2Learned, tCross, tMech1Lost, tStop,
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
