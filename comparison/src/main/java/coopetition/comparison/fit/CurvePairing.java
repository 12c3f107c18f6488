package coopetition.comparison.fit;

import coopetition.common.UserInputException;
import coopetition.comparison.runs.RunData;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Which transformer curve each toy curve is fitted to, e.g. mech1=icl_loss, mech2=ciwl_loss,
 * total=train_loss (the default). At least one pair; a toy curve appears at most once.
 *
 * @param interference run curves that also answer to a second toy curve ({@link Interference}); kept
 *     only for paired curves
 */
public record CurvePairing(Map<ToyCurve, String> columns, Interference interference) {
  /** The field errors about the pairing, or about a paired column, are reported against. */
  public static final String FIELD = RunData.CURVES_FIELD;

  public CurvePairing {
    UserInputException.requireField(columns != null && !columns.isEmpty(), FIELD,
        "names no pair; give e.g. mech1=icl_loss,mech2=ciwl_loss,total=train_loss");
    EnumMap<ToyCurve, String> copy = new EnumMap<>(ToyCurve.class);
    copy.putAll(columns);
    columns = Collections.unmodifiableMap(copy);
    interference = (interference == null ? Interference.none() : interference).restrictedTo(copy.keySet());
  }

  /** Plain affine maps, no interference term. */
  public CurvePairing(Map<ToyCurve, String> columns) {
    this(columns, Interference.none());
  }

  /** The same columns with these interference terms. */
  public CurvePairing withInterference(Interference terms) {
    return new CurvePairing(columns, terms);
  }

  /** mech1 ↔ ICL loss, mech2 ↔ CIWL loss (which also answers to L1, {@link Interference#standard}), total ↔ training loss. */
  public static CurvePairing defaults() {
    EnumMap<ToyCurve, String> m = new EnumMap<>(ToyCurve.class);
    for (ToyCurve c : ToyCurve.values()) {
      m.put(c, c.defaultColumn());
    }
    return new CurvePairing(m, Interference.standard());
  }

  /** Parses "mech1=icl_loss,mech2=ciwl_loss,total=train_loss" (no interference term; see {@link #withInterference}). */
  public static CurvePairing parse(String spec) {
    EnumMap<ToyCurve, String> m = new EnumMap<>(ToyCurve.class);
    for (String part : spec.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      UserInputException.requireField(eq > 0 && eq < part.length() - 1, FIELD,
          "entry '" + part.trim() + "' is not toycurve=column; e.g. mech1=icl_loss");
      ToyCurve c = ToyCurve.ofKey(part.substring(0, eq));
      UserInputException.requireField(!m.containsKey(c), FIELD, "pairs " + c.key() + " twice; give each toy curve once");
      m.put(c, part.substring(eq + 1).trim());
    }
    return new CurvePairing(m);
  }

  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(",");
    columns.forEach((k, v) -> j.add(k.key() + "=" + v));
    return j.toString();
  }
}
