package coopetition.transformer.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coopetition.common.Json;
import coopetition.common.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code DIR/sweep.json}: the sweep's definition, every run's settings and last known state, and what the
 * executor recorded (threads per run; SLURM job ids). The definition decides identity: a directory holding a
 * different sweep is refused. Run states here are a record for people; the truth is each run directory
 * ({@link RunState}).
 */
public final class SweepManifest {
  public static final String FILE = "sweep.json";
  public static final String RUNS = "runs";
  private static final int FORMAT = 1;

  private final Path dir;
  private final SweepSpec spec;
  private final List<SweepRun> runs;
  private final ObjectNode executor;

  private SweepManifest(Path dir, SweepSpec spec, ObjectNode executor, List<String> earlierRunIds) {
    this.dir = dir;
    this.spec = spec;
    this.runs = spec.runsKeeping(earlierRunIds);
    this.executor = executor;
  }

  private List<String> runIds() {
    return runs.stream().map(SweepRun::id).toList();
  }

  /**
   * The manifest of {@code spec} in {@code dir}: the existing one when it holds the same sweep, a new one
   * when the directory has none, the existing one grown to {@code spec} when {@code spec} extends it
   * ({@link SweepSpec#extendsSweep}: more grid values or seed sets, every finished run kept); any other
   * sweep there is one line of bad input.
   */
  public static SweepManifest openOrCreate(Path dir, SweepSpec spec) {
    Path file = dir.resolve(FILE);
    if (Files.isRegularFile(file)) {
      SweepManifest old = read(dir);
      if (spec.extendsSweep(old.spec)) {
        return new SweepManifest(dir, spec, old.executor, old.runIds());
      }
      if (!old.spec.equals(spec)) {
        throw new UserInputException(dir + " holds a different sweep (" + describe(old.spec) + "); choose another --out,"
            + " or repeat that sweep's command to continue it (adding grid values or seed sets extends it)");
      }
      return old;
    }
    return new SweepManifest(dir, spec, Json.object(), List.of());
  }

  /** Reads {@code dir/sweep.json}. */
  public static SweepManifest read(Path dir) {
    Path file = dir.resolve(FILE);
    UserInputException.require(Files.isRegularFile(file), dir + " has no " + FILE + "; give the --out of a ./coop sweep");
    JsonNode root = Json.read(file);
    try {
      JsonNode d = root.get("definition");
      List<String> sets = new ArrayList<>();
      d.get("sets").forEach(n -> sets.add(n.asText()));
      List<GridAxis> axes = new ArrayList<>();
      for (JsonNode a : d.get("grid")) {
        List<String> values = new ArrayList<>();
        a.get("values").forEach(n -> values.add(n.asText()));
        axes.add(new GridAxis(a.get("key").asText(), values));
      }
      List<Integer> seeds = new ArrayList<>();
      d.get("seed_sets").forEach(n -> seeds.add(n.asInt()));
      ObjectNode executor = root.has("executor") ? (ObjectNode) root.get("executor") : Json.object();
      // the stored order, not the grid order: a grown sweep numbered its new runs after the earlier ones
      List<String> ids = new ArrayList<>();
      if (root.has("runs")) {
        List<JsonNode> stored = new ArrayList<>();
        root.get("runs").forEach(stored::add);
        stored.sort(java.util.Comparator.comparingInt(n -> n.get("index").asInt()));
        stored.forEach(n -> ids.add(n.get("id").asText()));
      }
      return new SweepManifest(dir, new SweepSpec(d.get("preset").asText(), sets, axes, seeds), executor, ids);
    } catch (RuntimeException e) {
      if (e instanceof UserInputException u) {
        throw new UserInputException(file + ": " + u.getMessage());
      }
      throw new UserInputException(file + " is not a sweep manifest of this version (" + e + "); start the sweep in a new --out");
    }
  }

  public Path dir() {
    return dir;
  }

  public SweepSpec spec() {
    return spec;
  }

  public List<SweepRun> runs() {
    return runs;
  }

  public Path runDir(SweepRun r) {
    return dir.resolve(RUNS).resolve(r.id());
  }

  public RunState state(SweepRun r) {
    return RunState.of(runDir(r), r.finalSeqs());
  }

  /** What the executor keeps here (mutable; {@link #write} stores it). */
  public ObjectNode executor() {
    return executor;
  }

  /** Writes sweep.json atomically; {@code labels} gives a run's state as the executor sees it (by run id). */
  public synchronized void write(Map<String, String> labels) {
    ObjectNode root = Json.object();
    root.put("format", FORMAT);
    ObjectNode d = root.putObject("definition");
    d.put("preset", spec.preset());
    ArrayNode sets = d.putArray("sets");
    spec.sets().forEach(sets::add);
    ArrayNode grid = d.putArray("grid");
    for (GridAxis a : spec.axes()) {
      ObjectNode o = grid.addObject();
      o.put("key", a.key());
      ArrayNode v = o.putArray("values");
      a.values().forEach(v::add);
    }
    ArrayNode seeds = d.putArray("seed_sets");
    spec.seedSets().forEach(seeds::add);
    root.put("seed_rule", SeedSet.RULE);
    ArrayNode rs = root.putArray("runs");
    for (SweepRun r : runs) {
      ObjectNode o = rs.addObject();
      o.put("index", r.index());
      o.put("id", r.id());
      o.put("dir", RUNS + "/" + r.id());
      o.put("preset", r.preset());
      o.set("point", Json.tree(r.point()));
      o.put("seed_set", r.seedSet().index());
      RunState st = state(r);
      o.put("state", labels.getOrDefault(r.id(), st.phase().name().toLowerCase(java.util.Locale.ROOT)));
      o.put("seqs", st.seqs());
      o.put("final_seqs", r.finalSeqs());
      ArrayNode a = o.putArray("sets");
      r.assignments().forEach(a::add);
      o.set("settings", Json.tree(new java.util.TreeMap<>(r.settings())));
    }
    root.set("executor", executor);
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new UserInputException("cannot create " + dir + " (" + e.getMessage() + "); choose another --out");
    }
    Json.write(dir.resolve(FILE), root);
  }

  static String describe(SweepSpec s) {
    StringBuilder sb = new StringBuilder("--preset " + s.preset());
    s.sets().forEach(x -> sb.append(" --set ").append(x));
    s.axes().forEach(a -> sb.append(" --grid ").append(a));
    sb.append(" --seeds ").append(s.seedSets().toString().replace(" ", "").replace("[", "").replace("]", ""));
    return sb.toString();
  }
}
