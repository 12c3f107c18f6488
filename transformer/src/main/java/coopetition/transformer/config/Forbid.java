package coopetition.transformer.config;

import coopetition.common.UserInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Training-time interventions (the paper's rejected-hypothesis runs): attention patterns a layer may never
 * use, enforced in every forward pass of training and of its evals. Written {@code forbid=prev_token_l1}
 * (comma-separated; layers from 1 as in the paper); empty for none.
 *
 * @param rules what is forbidden, in the order given
 */
public record Forbid(List<Rule> rules) {
  public static final String FIELD = "forbid";

  /** Patterns that can be forbidden. */
  public enum Pattern {
    /** A token attending to the token right before it (a label to its exemplar, an exemplar to the label before). */
    PREV_TOKEN
  }

  /**
   * @param pattern the forbidden pattern
   * @param layer its layer, from 1
   */
  public record Rule(Pattern pattern, int layer) {
    public Rule {
      UserInputException.requireField(layer >= 1, FIELD, "layers count from 1, got " + layer);
    }

    @Override
    public String toString() {
      return pattern.name().toLowerCase(Locale.ROOT) + "_l" + layer;
    }
  }

  public Forbid {
    rules = List.copyOf(new LinkedHashSet<>(rules));
  }

  public static Forbid none() {
    return new Forbid(List.of());
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** Parses {@code prev_token_l1,prev_token_l2}. */
  public static Forbid parse(String text) {
    List<Rule> out = new ArrayList<>();
    for (String raw : text.split(",")) {
      String r = raw.trim().toLowerCase(Locale.ROOT);
      if (r.isEmpty()) {
        continue;
      }
      int at = r.lastIndexOf("_l");
      Pattern p = null;
      int layer = -1;
      if (at > 0) {
        try {
          p = Pattern.valueOf(r.substring(0, at).toUpperCase(Locale.ROOT));
          layer = Integer.parseInt(r.substring(at + 2));
        } catch (IllegalArgumentException e) {
          p = null;
        }
      }
      UserInputException.requireField(p != null, FIELD, "'" + raw.trim() + "' is not PATTERN_lLAYER; e.g. prev_token_l1"
          + " (previous-token attention in Layer 1)");
      out.add(new Rule(p, layer));
    }
    return new Forbid(out);
  }

  /** Checks the layers against the model's depth. */
  void check(int depth) {
    for (Rule r : rules) {
      UserInputException.requireField(r.layer() <= depth, FIELD, "'" + r + "' names layer " + r.layer() + " of a "
          + depth + "-layer model");
    }
  }

  /** The text {@link #parse} reads back. */
  public String text() {
    return String.join(",", rules.stream().map(Rule::toString).toList());
  }
}
