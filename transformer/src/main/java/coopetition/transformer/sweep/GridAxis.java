package coopetition.transformer.sweep;

import coopetition.common.UserInputException;
import java.util.ArrayList;
import java.util.List;

/** One swept setting and the values it takes, e.g. {@code classes=4096,8192}. */
public record GridAxis(String key, List<String> values) {

  public GridAxis {
    UserInputException.requireField(key != null && !key.isBlank(), "grid", "an axis needs a setting name: key=v1,v2");
    UserInputException.requireField(values != null && !values.isEmpty(), "grid",
        "'" + key + "' has no values; give key=v1,v2,...");
    values = List.copyOf(values);
    UserInputException.requireField(values.stream().distinct().count() == values.size(), "grid",
        "'" + key + "' repeats a value (" + String.join(",", values) + "); give each value once");
  }

  /** Parses {@code key=v1,v2}; an empty key or value list fails with one line. */
  public static GridAxis parse(String text) {
    int eq = text.indexOf('=');
    UserInputException.requireField(eq > 0, "grid", "'" + text + "' is not key=v1,v2 (e.g. classes=4096,8192)");
    String key = text.substring(0, eq).trim();
    List<String> values = new ArrayList<>();
    for (String v : text.substring(eq + 1).split(",", -1)) {
      UserInputException.requireField(!v.isBlank(), "grid",
          "'" + text + "' is an empty grid or has an empty value; give key=v1,v2 with every value non-empty");
      values.add(v.trim());
    }
    return new GridAxis(key, values);
  }

  @Override
  public String toString() {
    return key + "=" + String.join(",", values);
  }
}
