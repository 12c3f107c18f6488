package coopetition.comparison.fit;

import coopetition.common.UserInputException;
import java.util.Locale;

/** The three curves of the toy model that a transformer run is compared with. */
public enum ToyCurve {
  /** Mechanism 1's loss L1; plays in-context learning (ICL). */
  MECH1("mech1", "mechanism 1 loss L1", "icl_loss"),
  /** Mechanism 2's loss L2; plays context-constrained in-weights learning (CIWL). */
  MECH2("mech2", "mechanism 2 loss L2", "ciwl_loss"),
  /** The total loss (L1 + mu1)(L2 + mu2) + alpha * Cost; plays the training loss. */
  TOTAL("total", "total loss", "train_loss");

  private final String key;
  private final String description;
  private final String defaultColumn;

  ToyCurve(String key, String description, String defaultColumn) {
    this.key = key;
    this.description = description;
    this.defaultColumn = defaultColumn;
  }

  /** The name used on the command line: mech1, mech2, total. */
  public String key() {
    return key;
  }

  public String description() {
    return description;
  }

  /** The transformer curve paired with this one unless the user says otherwise. */
  public String defaultColumn() {
    return defaultColumn;
  }

  public static ToyCurve ofKey(String key) {
    for (ToyCurve c : values()) {
      if (c.key.equals(key.trim().toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw UserInputException.forField(CurvePairing.FIELD, "unknown toy curve '" + key + "'; use mech1, mech2 or total");
  }
}
