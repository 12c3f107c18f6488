package coopetition.toymodel.sweep;

import coopetition.common.UserInputException;
import coopetition.toymodel.SeedList;
import coopetition.toymodel.ToyConfig;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A grid of configs (the Cartesian product of the swept parameters' values, first axis slowest)
 * times a list of seeds.
 */
public record SweepSpec(List<Axis> axes, long[] seeds) {

  /** One swept parameter and its values. */
  public record Axis(SweepParameter parameter, double[] values) {}

  /** The field that errors about the axes name (the CLI's KEY=v1,v2,... options). */
  public static final String AXES = "axes";

  public SweepSpec {
    axes = List.copyOf(axes);
    UserInputException.requireField(seeds.length > 0, SeedList.FIELD, "no seeds to sweep; give e.g. 0-49");
    Set<SweepParameter> seen = EnumSet.noneOf(SweepParameter.class);
    for (Axis a : axes) {
      UserInputException.requireField(seen.add(a.parameter()), AXES,
          a.parameter().key() + " is swept twice; give each parameter once with all its values");
    }
  }

  /** Parses axes {@code KEY=v1,v2,...} and a seed list such as {@code 0-49} or {@code 1,5,9}. */
  public static SweepSpec parse(List<String> sets, String seeds) {
    List<Axis> axes = new ArrayList<>();
    for (String s : sets) {
      axes.add(parseAxis(s));
    }
    return new SweepSpec(axes, parseSeeds(seeds));
  }

  static Axis parseAxis(String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0) {
      throw UserInputException.forField(AXES, "malformed '" + spec + "'; write KEY=v1,v2,... e.g. alpha=0,0.1,0.3");
    }
    SweepParameter p = SweepParameter.parse(spec.substring(0, eq));
    String[] parts = spec.substring(eq + 1).split(",", -1);
    double[] values = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        values[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw UserInputException.forField(AXES, "malformed '" + spec + "': '" + parts[i]
            + "' is not a number; write KEY=v1,v2,... e.g. alpha=0,0.1,0.3");
      }
    }
    return new Axis(p, values);
  }

  static long[] parseSeeds(String s) {
    return SeedList.parse(s, 10_000_000).stream().mapToLong(Long::longValue).toArray();
  }

  /** All configs of the grid (seed from the base), first axis slowest; validates every one. */
  public List<ToyConfig> configs(ToyConfig base) {
    List<ToyConfig> out = new ArrayList<>();
    out.add(base);
    for (Axis a : axes) {
      List<ToyConfig> next = new ArrayList<>();
      for (ToyConfig c : out) {
        for (double v : a.values()) {
          next.add(a.parameter().apply(c, v));
        }
      }
      out = next;
    }
    return out;
  }
}
