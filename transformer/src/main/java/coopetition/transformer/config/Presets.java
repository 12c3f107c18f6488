package coopetition.transformer.config;

import coopetition.common.UserInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named starting points for a training run, each a small file of {@code key = value} lines
 * (resources {@code presets/NAME.conf}): the first line is a {@code #} comment describing the preset,
 * further {@code #} comments say why, and {@code base = NAME} starts from another preset. Values
 * override the {@link Settings} defaults, which are the authors' main run. A path ending in
 * {@code .conf} names a preset file of the user's own.
 */
public final class Presets {
  private Presets() {}

  /** The built-in presets, in the order they are listed. */
  private static final List<String> NAMES = List.of("paper-main", "quick", "mq", "ciwl-only", "icl-only", "weight-decay",
      "weight-decay-adamw", "transient-12l", "quick-12l", "quick-mlp", "quick-mlp3");

  /** A preset: what it is for and the settings it changes (its base's first). */
  public record Preset(String name, String description, Map<String, String> overrides) {
    public Settings settings() {
      return Settings.defaults().withAll(overrides);
    }

    public TrainConfig config() {
      return TrainConfig.from(settings());
    }
  }

  public static final List<Preset> ALL = loadAll();

  private static List<Preset> loadAll() {
    List<Preset> all = new ArrayList<>();
    for (String name : NAMES) {
      all.add(builtIn(name));
    }
    return List.copyOf(all);
  }

  public static Preset byName(String name) {
    if (name.endsWith(".conf")) {
      Path file = Path.of(name);
      try {
        return parse(file.getFileName().toString().replaceFirst("\\.conf$", ""), Files.readString(file), file.toString());
      } catch (IOException e) {
        throw UserInputException.forField("preset", "cannot read " + file + " (" + e.getMessage() + ")");
      }
    }
    for (Preset p : ALL) {
      if (p.name().equalsIgnoreCase(name)) {
        return p;
      }
    }
    throw UserInputException.forField("preset", "unknown preset '" + name + "'; one of " + String.join(", ", NAMES)
        + ", or a file NAME.conf");
  }

  private static Preset builtIn(String name) {
    String resource = "/presets/" + name + ".conf";
    try (InputStream in = Presets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("preset file " + resource + " is missing from the build");
      }
      return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  /**
   * Parses a preset file. {@code #} starts a comment at the start of a line or after a space (a bank's
   * {@code file:x.h5#dataset} keeps its '#'); every key must be a setting.
   */
  static Preset parse(String name, String text, String source) {
    String[] lines = text.split("\r?\n", -1);
    String description = lines[0].startsWith("#") ? lines[0].substring(1).trim() : "";
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].replaceFirst("(^|\\s)#.*$", "").trim();
      if (line.isEmpty()) {
        continue;
      }
      int eq = line.indexOf('=');
      String where = source + " line " + (i + 1);
      if (eq <= 0) {
        throw UserInputException.forField("preset", where + " '" + line + "' is not key = value");
      }
      String key = line.substring(0, eq).trim();
      String value = line.substring(eq + 1).trim();
      if (key.equals("base")) {
        UserInputException.requireField(overrides.isEmpty(), "preset", where + ": base must come before the settings");
        UserInputException.requireField(NAMES.contains(value), "preset",
            where + ": base must be a built-in preset, one of " + String.join(", ", NAMES));
        overrides.putAll(builtIn(value).overrides());
        continue;
      }
      try {
        Settings.defaults().with(key, value); // the key must exist; the value is checked with the rest
      } catch (UserInputException e) {
        throw UserInputException.forField("preset", where + ": " + e.problem());
      }
      overrides.put(key, value);
    }
    Preset p = new Preset(name, description, Collections.unmodifiableMap(overrides));
    try {
      p.config(); // every value parses and fits the others
    } catch (UserInputException e) {
      throw UserInputException.forField("preset", source + ": " + e.getMessage());
    }
    return p;
  }
}
