package coopetition.toymodel;

import coopetition.common.UserInputException;

/**
 * The four learned vectors. a belongs to mechanism 1 only, d to mechanism 2 only, and b, c are
 * shared by both mechanisms (the "cooperation" in coopetition).
 */
public enum ToyVector {
  A, B, C, D;

  /** Lower-case name as used in the paper, CLI and CSV headers: a, b, c, d. */
  public String symbol() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static ToyVector parse(String s) {
    for (ToyVector v : values()) {
      if (v.symbol().equalsIgnoreCase(s.trim())) {
        return v;
      }
    }
    throw new UserInputException("unknown vector '" + s + "'; use one of a, b, c, d");
  }
}
