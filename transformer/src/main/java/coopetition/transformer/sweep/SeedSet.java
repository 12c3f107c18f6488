package coopetition.transformer.sweep;

import coopetition.common.UserInputException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Seed set {@code i} of a sweep: the four seeds of one run. Set 0 is the preset's own seeds (the
 * authors' init 5, train 2, eval 1, bank 0); set {@code i >= 1} is init {@code 10i+1}, train
 * {@code 10i+2}, eval {@code 10i+3}, bank {@code i} (s1 = 11/12/13/1, s2 = 21/22/23/2, as the
 * hand-run seed sets of docs/REPRODUCTION.md), so no two sets share a stream of random numbers.
 */
public record SeedSet(int index) {
  public static final String RULE = "seed set 0 = the preset's seeds; seed set i >= 1: init_seed 10i+1,"
      + " train_seed 10i+2, eval_seed 10i+3, bank_seed i";

  public SeedSet {
    UserInputException.requireField(index >= 0 && index <= 100_000, "seeds", "seed sets are 0..100000, got " + index);
  }

  /** The settings this seed set overrides; empty for set 0. */
  public Map<String, String> overrides() {
    Map<String, String> m = new LinkedHashMap<>();
    if (index > 0) {
      m.put("init_seed", Long.toString(10L * index + 1));
      m.put("train_seed", Long.toString(10L * index + 2));
      m.put("eval_seed", Long.toString(10L * index + 3));
      m.put("bank_seed", Integer.toString(index));
    }
    return m;
  }

  /** Whether {@code key} is one of the seeds a seed set chooses (so a grid must not sweep it). */
  public static boolean isSeedKey(String key) {
    return key.equals("init_seed") || key.equals("train_seed") || key.equals("eval_seed") || key.equals("bank_seed");
  }

  public String label() {
    return "s" + index;
  }
}
