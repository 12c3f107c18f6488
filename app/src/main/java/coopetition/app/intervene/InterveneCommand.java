package coopetition.app.intervene;

import coopetition.app.FigureFormats;
import coopetition.app.FlagNames;
import coopetition.common.AtomicFiles;
import coopetition.common.Json;
import coopetition.common.Progress;
import coopetition.common.Provenance;
import coopetition.common.UserInputException;
import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.eval.Evaluator;
import coopetition.transformer.intervene.ClampSweep;
import coopetition.transformer.intervene.Interventions;
import coopetition.transformer.intervene.Manipulation;
import coopetition.transformer.intervene.Measured;
import coopetition.transformer.mech.Network;
import coopetition.transformer.mech.StoredRun;
import coopetition.transformer.model.HeadRef;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.runtime.Torch;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./coop intervene}: the paper's interventions on one checkpoint, evaluated on the run's own eval
 * sequences. One CSV per kind of manipulation (each with the clean network's row first), the Fig 2b figure
 * for clamps, a figure per swept manipulation, and intervene.json (options and provenance).
 */
@Command(name = "intervene", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Intervene on a checkpoint (heads are layer:head from 0): clamp each head's attention delta between"
        + " the correct and incorrect label with its layer's other heads ablated (Fig 2b), keep only some heads, ablate"
        + " an embedding (optionally preserving clean patterns/values/queries/keys), force a previous-token or induction"
        + " pattern, rescale a head's temperature. Writes OUT/<kind>.csv, fig2b and sweep figures, intervene.json.")
public final class InterveneCommand implements Runnable, FlagNames {
  @Option(names = "--ckpt", required = true, paramLabel = "RUN@SEQS",
      description = "run directory and checkpoint: RUN@SEQS, RUN@final, or RUN@FILE.bin (weights of the run's shape)")
  String ckpt;

  @Option(names = "--evaluator", split = ",", defaultValue = "ciwl", paramLabel = "NAME",
      description = "whose eval sequences: any of ciwl, flip, icl, train, iwl (default: ${DEFAULT-VALUE})")
  List<String> evaluators;

  @Option(names = "--clamp", defaultValue = "last", paramLabel = "HEADS|last|none",
      description = "heads to clamp one at a time (Fig 2b); last = every head of the last layer (default: ${DEFAULT-VALUE})")
  String clamp;

  @Option(names = "--delta", split = ",", paramLabel = "D", description = "clamped attention deltas in [-1, 1]"
      + " (default: -1 to 1 in steps of 0.25)")
  List<Double> deltas;

  @Option(names = "--keep-only", paramLabel = "HEADS", description = "keep only these heads in their layers, e.g."
      + " 1:0,1:3 (repeatable: one row each)")
  List<String> keepOnly = new ArrayList<>();

  @Option(names = "--ablate", paramLabel = "example|label", description = "zero an embedding (repeatable)")
  List<String> ablate = new ArrayList<>();

  @Option(names = "--preserve", split = ",", paramLabel = "WHAT", description = "also measure each --keep-only and"
      + " --ablate with these clean: any of patterns, values, queries, keys")
  List<String> preserve = new ArrayList<>();

  @Option(names = "--force", paramLabel = "HEAD=PATTERN", description = "force a pattern on a head, e.g."
      + " 0:2=prev_token or 1:5=induction (repeatable), at each --strength")
  List<String> force = new ArrayList<>();

  @Option(names = "--strength", split = ",", defaultValue = "0,0.25,0.5,0.75,1", paramLabel = "S",
      description = "strengths in [0, 1] for --force (default: ${DEFAULT-VALUE})")
  List<Double> strengths;

  @Option(names = "--rescale", paramLabel = "HEAD", description = "rescale a head's temperature (repeatable), at each"
      + " --temperature")
  List<String> rescale = new ArrayList<>();

  @Option(names = "--temperature", split = ",", defaultValue = "0.25,0.5,1,2,4", paramLabel = "T",
      description = "temperatures for --rescale (default: ${DEFAULT-VALUE})")
  List<Double> temperatures;

  @Option(names = "--threads", defaultValue = "1", description = "libtorch intra-op threads (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--no-progress", description = "no progress bar (for logs)")
  boolean noProgress;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
  Path out;

  @Mixin
  FigureFormats formats = new FigureFormats();

  /** The head-taking flag being read, so a bad head names it. */
  private String headFlag = "--clamp";

  @Override
  public String flagFor(String field) {
    return switch (field) {
      case HeadRef.FIELD -> headFlag;
      case "pattern" -> "--force";
      case "hook" -> "--preserve";
      case CheckpointArg.FIELD -> "--ckpt";
      default -> null;
    };
  }

  @Override
  public void run() {
    CheckpointArg arg = CheckpointArg.parse(ckpt);
    Torch.configure(threads);
    StoredRun run = StoredRun.open(arg.run());
    ModelConfig model = run.model();
    List<Evaluator> evs = new ArrayList<>(new LinkedHashSet<>(evaluators.stream().map(Evaluator::byName).toList()));
    Plan plan = plan(model);
    long nets = evs.size() * plan.size();
    List<Path> written = new ArrayList<>();
    try (Network net = run.network().load(arg.weights(run), arg.toString());
        Progress bar = noProgress ? null : Progress.start("intervene", nets, "eval")) {
      Path dir = AtomicFiles.prepareDirectory(out);
      Runnable tick = () -> {
        if (bar != null) {
          bar.stepBy(1);
        }
      };
      List<Measured> clampRows = new ArrayList<>();
      Map<String, List<Measured>> tables = new java.util.LinkedHashMap<>();
      for (Evaluator e : evs) {
        SequenceBatch data = run.suite().get(e).data();
        Measured clean = measure(net, data, e, new Manipulation.None(), "", Double.NaN, tick);
        if (!plan.clampHeads().isEmpty()) {
          clampRows.add(clean);
          clampRows.addAll(ClampSweep.run(net, e, data, plan.clampHeads(), plan.deltas(), tick));
        }
        for (Map.Entry<String, List<Plan.Item>> kind : plan.items().entrySet()) {
          List<Measured> rows = tables.computeIfAbsent(kind.getKey(), k -> new ArrayList<>());
          rows.add(clean);
          for (Plan.Item it : kind.getValue()) {
            rows.add(measure(net, data, e, it.manipulation(), it.head(), it.value(), tick));
          }
        }
      }
      if (!clampRows.isEmpty()) {
        Measured.write(dir.resolve("clamp.csv"), clampRows);
        written.add(dir.resolve("clamp.csv"));
        String what = arg.isFile() ? arg.which() : arg.seqs(run) + " seqs";
        written.addAll(InterveneFigures.fig2b(clampRows, run.config().data().contextLength(), what, dir.resolve("fig2b"),
            formats.get()));
      }
      for (Map.Entry<String, List<Measured>> t : tables.entrySet()) {
        Path f = dir.resolve(t.getKey() + ".csv");
        Measured.write(f, t.getValue());
        written.add(f);
        if (t.getKey().equals("force") || t.getKey().equals("temperature")) {
          written.addAll(InterveneFigures.sweep(t.getValue(), t.getKey(), dir.resolve(t.getKey()), formats.get()));
        }
      }
    }
    Path dir = out;
    ObjectNode json = Json.object();
    json.put("ckpt", arg.toString());
    json.set("options", Json.tree(Map.of("evaluators", evaluators, "clamp", clamp, "deltas", plan.deltas(), "keep_only",
        keepOnly, "ablate", ablate, "preserve", preserve, "force", force, "strengths", strengths, "rescale", rescale,
        "temperatures", temperatures)));
    json.set("provenance", Json.tree(Provenance.capture("coop intervene")));
    AtomicFiles.writeString(dir.resolve("intervene.json"), Json.toJson(json));
    written.add(dir.resolve("intervene.json"));
    written.forEach(f -> System.out.println("wrote " + f));
  }

  private static Measured measure(Network net, SequenceBatch data, Evaluator e, Manipulation m, String head, double value,
      Runnable tick) {
    Measured r = Measured.of(m, head, value, e, Interventions.evaluate(net, data, m));
    tick.run();
    return r;
  }

  /** Every manipulation asked for, parsed and checked against the model before anything runs. */
  private Plan plan(ModelConfig model) {
    headFlag = "--clamp";
    List<HeadRef> clampHeads = switch (clamp.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "none", "" -> List.of();
      case "last" -> lastLayer(model);
      default -> heads(clamp, model);
    };
    List<Double> ds = deltas == null || deltas.isEmpty() ? ClampSweep.DELTAS : List.copyOf(deltas);
    Plan plan = new Plan(clampHeads, ds, new java.util.LinkedHashMap<>());
    for (Double d : ds) {
      new Manipulation.ClampLabelDelta(new HeadRef(0, 0), d); // range check before any work
    }
    Set<Manipulation.Kept> kept = new LinkedHashSet<>(preserve.stream().map(Manipulation.Kept::parse).toList());
    headFlag = "--keep-only";
    for (String k : keepOnly) {
      plan.add("keep_only", new Manipulation.KeepOnlyHeads(heads(k, model)), k, Double.NaN, kept, model);
    }
    for (String a : ablate) {
      plan.add("ablate", new Manipulation.AblateEmbedding(Manipulation.Embedding.parse(a)), "", Double.NaN, kept, model);
    }
    headFlag = "--force";
    for (String f : force) {
      int eq = f.indexOf('=');
      UserInputException.requireField(eq > 0, "pattern", "'" + f + "' is not HEAD=PATTERN; e.g. 0:2=prev_token");
      HeadRef h = HeadRef.parse(f.substring(0, eq), model);
      Manipulation.Pattern p = Manipulation.Pattern.parse(f.substring(eq + 1));
      for (double s : strengths) {
        plan.add("force", new Manipulation.ForcePattern(h, p, s), h.toString(), s, Set.of(), model);
      }
    }
    headFlag = "--rescale";
    for (String r : rescale) {
      HeadRef h = HeadRef.parse(r, model);
      for (double t : temperatures) {
        plan.add("temperature", new Manipulation.RescaleTemperature(h, t), h.toString(), t, Set.of(), model);
      }
    }
    UserInputException.require(plan.size() > 0, "nothing to do: give --clamp, --keep-only, --ablate, --force or --rescale");
    return plan;
  }

  private static List<HeadRef> heads(String list, ModelConfig model) {
    List<HeadRef> out = new ArrayList<>();
    for (String h : list.split(",")) {
      if (!h.isBlank()) {
        out.add(HeadRef.parse(h, model));
      }
    }
    UserInputException.requireField(!out.isEmpty(), HeadRef.FIELD, "names no head; give e.g. 1:0,1:3");
    return out;
  }

  private static List<HeadRef> lastLayer(ModelConfig model) {
    List<HeadRef> out = new ArrayList<>();
    for (int h = 0; h < model.numHeads(); h++) {
      out.add(new HeadRef(model.depth() - 1, h));
    }
    return out;
  }

  /** What to measure: the clamp sweep and, per CSV, the other manipulations. */
  private record Plan(List<HeadRef> clampHeads, List<Double> deltas, Map<String, List<Item>> items) {
    record Item(Manipulation manipulation, String head, double value) {}

    void add(String kind, Manipulation m, String head, double value, Set<Manipulation.Kept> kept, ModelConfig model) {
      m.check(model);
      List<Item> list = items.computeIfAbsent(kind, k -> new ArrayList<>());
      list.add(new Item(m, head, value));
      if (!kept.isEmpty()) {
        Manipulation p = new Manipulation.Preserve(m, kept);
        p.check(model);
        list.add(new Item(p, head, value));
      }
    }

    long size() {
      return 1 + (long) clampHeads.size() * (deltas.size() + 1) + items.values().stream().mapToLong(List::size).sum();
    }
  }
}
