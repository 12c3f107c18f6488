package coopetition.transformer.sweep;

import coopetition.common.UserInputException;
import coopetition.transformer.config.Presets;
import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.config.Settings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a sweep is: a preset, settings shared by every run, a grid of swept settings and the seed sets.
 * Two invocations describe the same sweep exactly when their specs are equal, which is what lets a
 * re-run of the same command continue a sweep and refuse a different one in the same directory.
 * Library logic only; the command line lives in the app.
 *
 * @param preset a preset name of {@link Presets}
 * @param sets {@code key=value} assignments applied to every run (e.g. a short train_seqs)
 * @param axes swept settings, outermost first
 * @param seedSets seed set indices, see {@link SeedSet}
 */
public record SweepSpec(String preset, List<String> sets, List<GridAxis> axes, List<Integer> seedSets) {

  /**
   * The one grid key that is not a setting: {@code preset=quick,weight-decay,weight-decay-adamw} gives each
   * grid point its own starting preset, for comparisons that change several settings at once.
   */
  public static final String PRESET_AXIS = "preset";

  /** Settings the executor chooses per run; neither a grid nor --set may fix them. */
  public static final Set<String> EXECUTOR_KEYS = Set.of("threads");

  public SweepSpec {
    sets = List.copyOf(sets);
    axes = List.copyOf(axes);
    seedSets = List.copyOf(seedSets);
    UserInputException.requireField(!seedSets.isEmpty(), "seeds", "names no seed set; give a count like 3 or a list like 0,1,2");
    UserInputException.requireField(new HashSet<>(seedSets).size() == seedSets.size(), "seeds",
        "repeats a seed set (" + seedSets + "); give each once");
    Presets.byName(preset);
    Set<String> seen = new HashSet<>();
    for (GridAxis a : axes) {
      String key = canonicalKey("grid", a.key());
      if (key.equals(PRESET_AXIS)) {
        a.values().forEach(Presets::byName);
      }
      UserInputException.requireField(seen.add(key), "grid", "sweeps " + key + " twice; give one --grid per setting");
      UserInputException.requireField(!SeedSet.isSeedKey(key), "grid", key + " is chosen by the seed set; sweep seeds with --seeds");
      UserInputException.requireField(!EXECUTOR_KEYS.contains(key), "grid", key + " is chosen per run by the executor; use --threads");
    }
    for (String s : sets) {
      int eq = s.indexOf('=');
      UserInputException.requireField(eq > 0, "set", "'" + s + "' is not key=value; e.g. --set train_seqs=200000");
      String key = canonicalKey("set", s.substring(0, eq));
      UserInputException.requireField(!key.equals(PRESET_AXIS), "set",
          "the preset is not a setting; use --preset NAME, or --grid preset=A,B to sweep presets");
      UserInputException.requireField(!seen.contains(key), "set", key + " is also swept by a --grid; give it in one place");
      UserInputException.requireField(!SeedSet.isSeedKey(key), "set", key + " is chosen by the seed set; use --seeds");
      UserInputException.requireField(!EXECUTOR_KEYS.contains(key), "set", key + " is chosen per run by the executor; use --threads");
    }
  }

  /** The setting's canonical name, or one line naming the field, the unknown key and close matches. */
  static String canonicalKey(String field, String key) {
    String k = key.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    if (k.equals(PRESET_AXIS)) {
      return k;
    }
    try {
      Settings.defaults().with(k, "");
    } catch (UserInputException e) {
      throw UserInputException.forField(field, e.problem());
    }
    return k;
  }

  /**
   * Whether this sweep is {@code old} grown by more runs (grid values or seed sets added), each of old's
   * runs still here with its id and settings, so its directory and checkpoints still mean the same run.
   * Indices are kept by {@link #runsKeeping}. Equal sweeps do not extend each other.
   */
  public boolean extendsSweep(SweepSpec old) {
    Map<String, SweepRun> mine = new HashMap<>();
    runs().forEach(r -> mine.put(r.id(), r));
    List<SweepRun> theirs = old.runs();
    if (mine.size() <= theirs.size()) {
      return false;
    }
    for (SweepRun r : theirs) {
      SweepRun m = mine.get(r.id());
      if (m == null || !m.settings().equals(r.settings()) || !m.preset().equals(r.preset())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Every run, those named in {@code earlier} (ids, in index order) first and in that order, the others
   * after them in grid order: a grown sweep keeps each earlier run's index, the number a SLURM task
   * already submitted refers to.
   */
  public List<SweepRun> runsKeeping(List<String> earlier) {
    Map<String, SweepRun> byId = new LinkedHashMap<>();
    runs().forEach(r -> byId.put(r.id(), r));
    List<SweepRun> ordered = new ArrayList<>();
    for (String id : earlier) {
      SweepRun r = byId.remove(id);
      if (r != null) {
        ordered.add(r.withIndex(ordered.size()));
      }
    }
    byId.values().forEach(r -> ordered.add(r.withIndex(ordered.size())));
    return List.copyOf(ordered);
  }

  /** Every run: the grid points (first axis outermost) times the seed sets, each validated as a training run. */
  public List<SweepRun> runs() {
    List<Map<String, String>> points = new ArrayList<>();
    points.add(new LinkedHashMap<>());
    for (GridAxis a : axes) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> p : points) {
        for (String v : a.values()) {
          Map<String, String> q = new LinkedHashMap<>(p);
          q.put(canonicalKey("grid", a.key()), v);
          next.add(q);
        }
      }
      points = next;
    }
    List<SweepRun> runs = new ArrayList<>();
    for (Map<String, String> point : points) {
      for (int s : seedSets) {
        runs.add(run(runs.size(), point, new SeedSet(s)));
      }
    }
    return runs;
  }

  private SweepRun run(int index, Map<String, String> point, SeedSet seeds) {
    List<String> assignments = new ArrayList<>(sets);
    point.forEach((k, v) -> {
      if (!k.equals(PRESET_AXIS)) {
        assignments.add(k + "=" + v);
      }
    });
    seeds.overrides().forEach((k, v) -> assignments.add(k + "=" + v));
    String runPreset = point.getOrDefault(PRESET_AXIS, preset);
    Settings s = Presets.byName(runPreset).settings();
    for (String a : assignments) {
      s = s.withAssignment(a);
    }
    String id = runId(point, seeds);
    long finalSeqs;
    try {
      finalSeqs = TrainConfig.from(s).schedule().steps() * TrainConfig.from(s).schedule().batch();
    } catch (UserInputException e) {
      throw new UserInputException("run " + id + ": " + e.getMessage());
    }
    return new SweepRun(index, id, runPreset, point, seeds, assignments, s.asMap(), finalSeqs);
  }

  /** {@code classes-4096_lr-3e-4_s1}: readable, and safe as a directory name whatever the values hold. */
  static String runId(Map<String, String> point, SeedSet seeds) {
    StringBuilder sb = new StringBuilder();
    point.forEach((k, v) -> sb.append(k).append('-').append(v.replaceAll("[^A-Za-z0-9.+-]", "_")).append('_'));
    return sb.append(seeds.label()).toString();
  }
}
