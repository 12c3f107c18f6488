package coopetition.transformer.data;

/** Role of a position in a sequence, with the authors' integer codes (samplers.py:24-29). */
public final class ItemType {
  /** Filler item (any class, true label). */
  public static final int OTHER = 0;
  /** Context item of the query's class. */
  public static final int BURSTY = 1;
  /** Context item of the distractor class. */
  public static final int DISTRACTOR = 2;
  /** The last position; its label is the training/eval target. */
  public static final int QUERY = 3;

  private ItemType() {}

  public static String name(int type) {
    return switch (type) {
      case OTHER -> "OTHER";
      case BURSTY -> "BURSTY";
      case DISTRACTOR -> "DISTRACTOR";
      case QUERY -> "QUERY";
      default -> throw new IllegalArgumentException("unknown item type " + type);
    };
  }
}
