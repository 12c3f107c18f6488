package coopetition.comparison.fit;

import coopetition.common.UserInputException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Which run curves also answer to a second toy curve, against it: run curve ≈ scale · toy_own +
 * interference · toy_partner + offset, with the interference of the opposite sign to the scale.
 *
 * <p>The standard term is the CIWL loss answering to L1 (mech2:mech1). On a CIWL sequence the query's
 * label also sits in the context, on a wrong exemplar, so a network that leans on in-context learning
 * is pulled towards the context's labels: learning ICL (L1 falling) raises the CIWL loss. That is the
 * transformer's early CIWL dip and rebound, which L2 alone (which only falls) cannot show.
 *
 * @param terms run curve paired with the key also answers to the value's toy curve
 */
public record Interference(Map<ToyCurve, ToyCurve> terms) {
  /** The field errors about the interference terms are reported against. */
  public static final String FIELD = "interference";

  public Interference {
    EnumMap<ToyCurve, ToyCurve> copy = new EnumMap<>(ToyCurve.class);
    if (terms != null) {
      terms.forEach((on, from) -> {
        UserInputException.requireField(on != from, FIELD, on.key() + ":" + from.key()
            + " pairs a curve with itself; name another toy curve, e.g. mech2:mech1");
        copy.put(on, from);
      });
    }
    terms = Collections.unmodifiableMap(copy);
  }

  /** Plain affine maps, one toy curve per run curve (the pairing before issue 15's interference term). */
  public static Interference none() {
    return new Interference(Map.of());
  }

  /** The CIWL loss answers to L1 too (mech2:mech1), the default of a fit. */
  public static Interference standard() {
    return new Interference(Map.of(ToyCurve.MECH2, ToyCurve.MECH1));
  }

  /** Parses "mech2:mech1" (several comma separated) or "none". */
  public static Interference parse(String spec) {
    UserInputException.requireField(spec != null && !spec.isBlank(), FIELD,
        "is empty; give e.g. mech2:mech1, or none for plain affine maps");
    if (spec.trim().toLowerCase(Locale.ROOT).equals("none")) {
      return none();
    }
    EnumMap<ToyCurve, ToyCurve> m = new EnumMap<>(ToyCurve.class);
    for (String part : spec.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int colon = part.indexOf(':');
      UserInputException.requireField(colon > 0 && colon < part.length() - 1, FIELD,
          "entry '" + part.trim() + "' is not curve:partner; e.g. mech2:mech1, or none");
      ToyCurve on = curve(part.substring(0, colon));
      UserInputException.requireField(!m.containsKey(on), FIELD, "names " + on.key() + " twice; give each curve once");
      m.put(on, curve(part.substring(colon + 1)));
    }
    UserInputException.requireField(!m.isEmpty(), FIELD, "names no term; give e.g. mech2:mech1, or none");
    return new Interference(m);
  }

  private static ToyCurve curve(String key) {
    for (ToyCurve c : ToyCurve.values()) {
      if (c.key().equals(key.trim().toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw UserInputException.forField(FIELD, "unknown toy curve '" + key.trim() + "'; use mech1, mech2 or total");
  }

  /** The toy curve the run curve paired with {@code role} also answers to, or null. */
  public ToyCurve partner(ToyCurve role) {
    return terms.get(role);
  }

  /** Only the terms whose curve is among {@code roles}. */
  Interference restrictedTo(java.util.Collection<ToyCurve> roles) {
    EnumMap<ToyCurve, ToyCurve> m = new EnumMap<>(ToyCurve.class);
    terms.forEach((on, from) -> {
      if (roles.contains(on)) {
        m.put(on, from);
      }
    });
    return new Interference(m);
  }

  @Override
  public String toString() {
    if (terms.isEmpty()) {
      return "none";
    }
    StringJoiner j = new StringJoiner(",");
    terms.forEach((k, v) -> j.add(k.key() + ":" + v.key()));
    return j.toString();
  }
}
