package coopetition.toymodel.landmark;

/**
 * The times of the {@link Landmark}s in one trajectory; NaN where a landmark never happened.
 *
 * @param mech1Learned L1 first below a tenth of its null loss
 * @param mech2Learned L2 first below a tenth of its null loss
 * @param cross L2 first below L1 once mechanism 1 is learned
 * @param mech1Lost L1 first back above a tenth of its null loss once learned
 */
public record Landmarks(double mech1Learned, double mech2Learned, double cross, double mech1Lost) {

  /** No landmark happened. */
  public static final Landmarks NONE = new Landmarks(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** From times indexed by {@link Landmark#ordinal()}. */
  static Landmarks of(double[] times) {
    return new Landmarks(times[Landmark.MECH1_LEARNED.ordinal()], times[Landmark.MECH2_LEARNED.ordinal()],
        times[Landmark.CROSSING.ordinal()], times[Landmark.MECH1_LOST.ordinal()]);
  }

  public double time(Landmark m) {
    return switch (m) {
      case MECH1_LEARNED -> mech1Learned;
      case MECH2_LEARNED -> mech2Learned;
      case CROSSING -> cross;
      case MECH1_LOST -> mech1Lost;
    };
  }

  /** Whether the landmark happened. */
  public boolean happened(Landmark m) {
    return Double.isFinite(time(m));
  }

  /** The same landmarks on another clock, x = origin + scale · t (e.g. toy time to sequences). */
  public Landmarks mapped(double origin, double scale) {
    return new Landmarks(origin + scale * mech1Learned, origin + scale * mech2Learned, origin + scale * cross,
        origin + scale * mech1Lost);
  }

  /** Each landmark from this record where it happened, else from {@code fallback}. */
  public Landmarks orElse(Landmarks fallback) {
    return new Landmarks(prefer(mech1Learned, fallback.mech1Learned), prefer(mech2Learned, fallback.mech2Learned),
        prefer(cross, fallback.cross), prefer(mech1Lost, fallback.mech1Lost));
  }

  private static double prefer(double t, double fallback) {
    return Double.isFinite(t) ? t : fallback;
  }
}
