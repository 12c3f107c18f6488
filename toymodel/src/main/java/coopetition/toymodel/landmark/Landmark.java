package coopetition.toymodel.landmark;

/**
 * The landmarks of the coopetition story in one toy trajectory, each the first time its level
 * function {@link #level} falls below zero. This is the one definition every solver (Hipparchus
 * event detectors, the built-in DOPRI5's event scan, GD's discrete steps) and every scan over a
 * sampled curve uses, through {@link LandmarkDetector}.
 *
 * <p>A mechanism is "learned" while its loss is below {@link #LEARNED_FRACTION} of its null loss
 * (L1 at a = 0, L2 at d = 0). Landmarks that need another one first (the crossing and the loss of
 * mechanism 1 both need mechanism 1 learned) are counted from that one's time on.
 */
public enum Landmark {
  /** Mechanism 1 learned: L1 falls below a tenth of its null loss. */
  MECH1_LEARNED("mech. 1 learned", null),
  /** Mechanism 2 learned: L2 falls below a tenth of its null loss. */
  MECH2_LEARNED("mech. 2 learned", null),
  /**
   * L2 crosses below L1, from the time mechanism 1 is learned on (already below then: that time).
   * Before mechanism 1 is learned both sit on their plateaus and their order means nothing.
   */
  CROSSING("L2 crosses L1", MECH1_LEARNED),
  /**
   * Mechanism 1 lost: after being learned, L1 climbs back above the level it was learned at (the
   * toy's ICL transience). It is the reverse of {@link #MECH1_LEARNED}, so it never coincides with it.
   */
  MECH1_LOST("mech. 1 lost", MECH1_LEARNED);

  /** A mechanism counts as learned below this fraction of its null loss. */
  public static final double LEARNED_FRACTION = 0.1;
  /**
   * A learned mechanism 1 counts as transient when the run ends with L1 above this fraction of its
   * null loss: lost, and most of the way back (a classification of the end state, not a landmark).
   */
  public static final double TRANSIENT_FRACTION = 0.5;

  private final String label;
  private final Landmark after;

  Landmark(String label, Landmark after) {
    this.label = label;
    this.after = after;
  }

  /** The paper's name, as figures and reports print it. */
  public String label() {
    return label;
  }

  /** The landmark that must have happened first, or null. */
  public Landmark after() {
    return after;
  }

  /** True when this landmark undoes {@code other}: it cannot hold at the time {@code other} happens. */
  public boolean reverses(Landmark other) {
    return this == MECH1_LOST && other == MECH1_LEARNED;
  }

  /** The level function: the landmark holds where it is negative. */
  public double level(double l1, double l2, double l1Null, double l2Null) {
    return switch (this) {
      case MECH1_LEARNED -> l1 - LEARNED_FRACTION * l1Null;
      case MECH2_LEARNED -> l2 - LEARNED_FRACTION * l2Null;
      case CROSSING -> l2 - l1;
      case MECH1_LOST -> LEARNED_FRACTION * l1Null - l1;
    };
  }

  /** Whether a trajectory that learned mechanism 1 and ended at {@code l1Final} counts as transient. */
  public static boolean endsTransient(boolean mech1Learned, double l1Final, double l1Null) {
    return mech1Learned && l1Final > TRANSIENT_FRACTION * l1Null;
  }
}
