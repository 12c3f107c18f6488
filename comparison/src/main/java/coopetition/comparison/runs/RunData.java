package coopetition.comparison.runs;

import com.fasterxml.jackson.databind.JsonNode;
import coopetition.common.UserInputException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The curves of one transformer run, by canonical name ({@code <evaluator>_<metric>} in this
 * project's vocabulary, e.g. {@code icl_loss}, {@code ciwl_loss}, {@code train_loss}).
 *
 * <p>Columns are validated lazily: a column with a bad cell is kept with its error message, and the
 * error is raised only if that column is actually asked for, so an unused broken column (say a NaN
 * gradient norm) does not block a fit of the loss curves.
 */
public final class RunData {
  /**
   * The field a bad or missing column is reported against: the choice of curves that asked for it
   * (the column itself is fine to leave broken while no fit pairs it).
   */
  public static final String CURVES_FIELD = "curves";

  private final Path source;
  private final String format;
  private final Map<String, Curve> curves;
  private final Map<String, String> problems;
  private final JsonNode config;

  RunData(Path source, String format, Map<String, Curve> curves, Map<String, String> problems, JsonNode config) {
    this.source = source;
    this.format = format;
    this.curves = new LinkedHashMap<>(curves);
    this.problems = new LinkedHashMap<>(problems);
    this.config = config;
  }

  /** The file the curves were read from. */
  public Path source() {
    return source;
  }

  /** "metrics.csv", "csv" or "log.h5". */
  public String format() {
    return format;
  }

  /** The run's config.json, or null when the run has none. */
  public JsonNode config() {
    return config;
  }

  /** Every column name, readable or not. */
  public List<String> names() {
    LinkedHashMap<String, Boolean> all = new LinkedHashMap<>();
    curves.keySet().forEach(k -> all.put(k, true));
    problems.keySet().forEach(k -> all.put(k, true));
    return List.copyOf(all.keySet());
  }

  /**
   * The named curve; a {@link UserInputException} on {@link #CURVES_FIELD} naming the file, line and
   * column if it is missing or bad.
   */
  public Curve curve(String name) {
    Curve c = curves.get(name);
    if (c != null) {
      return c;
    }
    String problem = problems.get(name);
    if (problem != null) {
      throw UserInputException.forField(CURVES_FIELD, problem);
    }
    throw UserInputException.forField(CURVES_FIELD, source + ": no column '" + name + "' (available: "
        + String.join(", ", names()) + "); pair an existing column");
  }
}
