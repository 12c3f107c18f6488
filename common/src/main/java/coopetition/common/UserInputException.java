package coopetition.common;

import java.util.Optional;

/**
 * Bad input from a user: a config value, a file, a CLI argument. The launcher prints the message as
 * one line and exits with code 2, so the message must name the problem and the fix.
 *
 * <p>Libraries know nothing of the command line: a bad value is reported against the name of the field
 * that holds it ({@link #forField}), and the application maps that field to the flag the user typed
 * (see {@code coopetition.app.Coop}). Messages about files or combinations that no single field owns use
 * the plain constructor.
 */
public class UserInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String problem;

  public UserInputException(String message) {
    this(null, message, null);
  }

  public UserInputException(String message, Throwable cause) {
    this(null, message, cause);
  }

  private UserInputException(String field, String problem, Throwable cause) {
    super(field == null ? problem : field + ": " + problem, cause);
    this.field = field;
    this.problem = problem;
  }

  /** A bad value of one named field, e.g. {@code forField("alpha", "must be >= 0 (got -1)")}. */
  public static UserInputException forField(String field, String problem) {
    return new UserInputException(field, problem, null);
  }

  /** The field whose value is wrong, when one field owns the problem. */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }

  /** The message without the field's name: what is wrong and how to fix it. */
  public String problem() {
    return problem;
  }

  /** Throws when {@code condition} is false; the usual shape of a record's compact-constructor check. */
  public static void require(boolean condition, String message) {
    if (!condition) {
      throw new UserInputException(message);
    }
  }

  /** Throws {@link #forField} when {@code condition} is false. */
  public static void requireField(boolean condition, String field, String problem) {
    if (!condition) {
      throw forField(field, problem);
    }
  }
}
