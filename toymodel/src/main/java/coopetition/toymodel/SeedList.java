package coopetition.toymodel;

import coopetition.common.UserInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * A seed list (the field {@value #FIELD}): a range {@code LO-HI}, a list {@code a,b,c}, or both mixed
 * ({@code 0-4,9}).
 */
public final class SeedList {
  /** The field that errors name. */
  public static final String FIELD = "seeds";

  private SeedList() {}

  /**
   * The seeds in the order written. Empty entries are skipped; a range may hold at most
   * {@code maxRange} seeds. Bad input is one {@link UserInputException} naming the fix.
   */
  public static List<Long> parse(String spec, long maxRange) {
    List<Long> out = new ArrayList<>();
    try {
      for (String part : spec.split(",")) {
        String p = part.trim();
        int dash = p.indexOf('-', 1); // from 1: a leading '-' is a sign, not a range
        if (dash > 0) {
          long lo = Long.parseLong(p.substring(0, dash).trim());
          long hi = Long.parseLong(p.substring(dash + 1).trim());
          UserInputException.requireField(lo <= hi && hi - lo < maxRange, FIELD,
              "range " + p + " must be LO-HI with LO <= HI and at most " + maxRange + " seeds");
          for (long s = lo; s <= hi; s++) {
            out.add(s);
          }
        } else if (!p.isEmpty()) {
          out.add(Long.parseLong(p));
        }
      }
    } catch (NumberFormatException e) {
      throw UserInputException.forField(FIELD,
          "'" + spec + "' is not a range like 0-49 or a list like 1,5,9 of integers");
    }
    UserInputException.requireField(!out.isEmpty(), FIELD, "'" + spec + "' names no seed");
    return out;
  }
}
