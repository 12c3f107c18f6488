package coopetition.transformer.config;

import coopetition.common.UserInputException;
import coopetition.transformer.data.Splits;

/**
 * A {@code train,val,test} count triple of the authors' class or exemplar split (main_utils.py:153-167);
 * {@link DataConfig#splits} checks it against the bank's shape once the bank is open.
 */
public record SplitCounts(int train, int val, int test) {

  public SplitCounts {
    Splits.checkSplit(new int[] {train, val, test}, "a");
  }

  /** Parses {@code "12800,0,184"} (spaces and brackets allowed); errors name the setting {@code field}. */
  public static SplitCounts parse(String text, String field) {
    try {
      int[] v = Splits.checkSplit(Splits.parseTriple(text, "the"), "the");
      return new SplitCounts(v[0], v[1], v[2]);
    } catch (UserInputException e) {
      throw UserInputException.forField(field, e.getMessage());
    }
  }

  public int[] toArray() {
    return new int[] {train, val, test};
  }

  @Override
  public String toString() {
    return train + "," + val + "," + test;
  }
}
