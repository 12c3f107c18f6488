package coopetition.app;

/**
 * Implemented by a command whose flags are not spelled like the library fields they set, so that an
 * error about a field names what the user typed (e.g. {@code --set lr=...} for the field {@code lr}).
 */
public interface FlagNames {
  /** The flag that sets {@code field}, or null to fall back to an option spelled like the field. */
  String flagFor(String field);
}
