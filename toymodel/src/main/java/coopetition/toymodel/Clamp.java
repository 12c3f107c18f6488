package coopetition.toymodel;

import coopetition.common.UserInputException;
import java.util.Objects;

/**
 * Freezes one vector for a whole run: at its initial ("current") value or at its target. A clamped
 * vector's gradient is zeroed, so the other vectors evolve against a fixed partner, e.g. clamping
 * a at its target holds mechanism 1 learned.
 */
public record Clamp(ToyVector vector, Mode mode) {

  /** The value a clamped vector is held at. */
  public enum Mode {
    /** The value at the start of the run (the initial draw). */
    CURRENT,
    /** The target x*. */
    TARGET
  }

  public Clamp {
    Objects.requireNonNull(vector, "vector");
    Objects.requireNonNull(mode, "mode");
  }

  /** Parses {@code a=target} or {@code b=current}. */
  public static Clamp parse(String spec) {
    int eq = spec.indexOf('=');
    if (eq < 0) {
      throw UserInputException.forField(SolverSettings.CLAMPS,
          "malformed '" + spec + "'; write VECTOR=MODE, e.g. a=target or b=current");
    }
    ToyVector v;
    try {
      v = ToyVector.parse(spec.substring(0, eq));
    } catch (UserInputException e) {
      throw UserInputException.forField(SolverSettings.CLAMPS, "in '" + spec + "': " + e.getMessage());
    }
    String m = spec.substring(eq + 1).trim().toLowerCase(java.util.Locale.ROOT);
    return switch (m) {
      case "target" -> new Clamp(v, Mode.TARGET);
      case "current", "init", "initial" -> new Clamp(v, Mode.CURRENT);
      default -> throw UserInputException.forField(SolverSettings.CLAMPS,
          "unknown mode '" + m + "' in '" + spec + "'; use target or current");
    };
  }

  @Override
  public String toString() {
    return vector.symbol() + "=" + mode.name().toLowerCase(java.util.Locale.ROOT);
  }
}
