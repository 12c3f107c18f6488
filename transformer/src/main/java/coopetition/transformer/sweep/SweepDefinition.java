package coopetition.transformer.sweep;

import coopetition.common.UserInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A named sweep, kept as a small file so a paper's experiment is one word on a cluster
 * ({@code ./coop sweep --def transient-12l-l2 --executor slurm ...}). Resources {@code sweeps/NAME.conf}
 * hold the built-in ones; a path ending in {@code .conf} names a user's own. Lines are {@code key = value}:
 * {@code preset} once, {@code seeds} once (a count or a list), {@code grid} and {@code set} as often as
 * needed; the first line is a {@code #} comment describing the sweep, and later comments say why.
 *
 * @param name the definition's name
 * @param description its first comment line
 * @param preset the preset every run starts from (unless the grid sweeps {@code preset})
 * @param sets {@code key=value} settings for every run
 * @param grid swept settings, {@code key=v1,v2}, outermost first
 * @param seeds seed sets, as {@code --seeds} takes them
 */
public record SweepDefinition(String name, String description, String preset, List<String> sets, List<String> grid,
    String seeds) {

  /** The built-in definitions, in the order they are listed. */
  public static final List<String> NAMES = List.of("remedy-classes", "remedy-mq", "remedy-weight-decay",
      "transient-12l-l2", "transient-12l-classes", "quick-12l-l2", "quick-mlp-l2", "quick-mlp3-l2");

  public SweepDefinition {
    sets = List.copyOf(sets);
    grid = List.copyOf(grid);
  }

  /** The spec this definition describes, with the caller's extra settings (e.g. a shorter train_seqs) appended. */
  public SweepSpec spec(List<String> extraSets, List<Integer> seedSets) {
    List<String> all = new ArrayList<>(sets);
    all.addAll(extraSets);
    List<GridAxis> axes = new ArrayList<>();
    grid.forEach(g -> axes.add(GridAxis.parse(g)));
    return new SweepSpec(preset, all, axes, seedSets);
  }

  /** A built-in definition by name, or a user's file {@code NAME.conf}; one line naming the choices otherwise. */
  public static SweepDefinition byName(String name) {
    if (name.endsWith(".conf")) {
      Path file = Path.of(name);
      try {
        return parse(file.getFileName().toString().replaceFirst("\\.conf$", ""), Files.readString(file), file.toString());
      } catch (IOException e) {
        throw UserInputException.forField("def", "cannot read " + file + " (" + e.getMessage() + ")");
      }
    }
    if (!NAMES.contains(name)) {
      throw UserInputException.forField("def", "unknown sweep definition '" + name + "'; one of "
          + String.join(", ", NAMES) + ", or a file NAME.conf");
    }
    String resource = "/sweeps/" + name + ".conf";
    try (InputStream in = SweepDefinition.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("sweep definition " + resource + " is missing from the build");
      }
      return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  /** Parses a definition file; every problem is one line naming the file and line. */
  static SweepDefinition parse(String name, String text, String source) {
    String[] lines = text.split("\r?\n", -1);
    String description = lines[0].startsWith("#") ? lines[0].substring(1).trim() : "";
    String preset = null;
    String seeds = null;
    List<String> sets = new ArrayList<>();
    List<String> grid = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].replaceFirst("(^|\\s)#.*$", "").trim();
      if (line.isEmpty()) {
        continue;
      }
      String where = source + " line " + (i + 1);
      int eq = line.indexOf('=');
      UserInputException.requireField(eq > 0, "def", where + ": '" + line + "' is not key = value");
      String key = line.substring(0, eq).trim();
      String value = line.substring(eq + 1).trim();
      switch (key) {
        case "preset" -> {
          UserInputException.requireField(preset == null, "def", where + ": preset is given twice");
          preset = value;
        }
        case "seeds" -> {
          UserInputException.requireField(seeds == null, "def", where + ": seeds is given twice");
          seeds = value;
        }
        case "grid" -> grid.add(value);
        case "set" -> sets.add(value);
        default -> throw UserInputException.forField("def", where + ": unknown key '" + key
            + "'; a sweep definition has preset, seeds, grid and set");
      }
    }
    UserInputException.requireField(preset != null, "def", source + " names no preset; add a line preset = NAME");
    return new SweepDefinition(name, description, preset, sets, grid, seeds == null ? "1" : seeds);
  }
}
