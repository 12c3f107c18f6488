package coopetition.common;

/**
 * Bad input from a user: a config value, a file, a CLI argument. The launcher prints the message as
 * one line and exits with code 2, so the message must name the problem and the fix.
 */
public class UserInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserInputException(String message) {
    super(message);
  }

  public UserInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Throws when {@code condition} is false; the usual shape of a record's compact-constructor check. */
  public static void require(boolean condition, String message) {
    if (!condition) {
      throw new UserInputException(message);
    }
  }
}
