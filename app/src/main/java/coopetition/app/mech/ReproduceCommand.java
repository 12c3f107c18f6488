package coopetition.app.mech;

import coopetition.app.FigureFormats;
import coopetition.common.AtomicFiles;
import coopetition.common.Progress;
import coopetition.common.UserInputException;
import coopetition.transformer.eval.Evaluator;
import coopetition.transformer.mech.AttentionMeasure;
import coopetition.transformer.mech.Claims;
import coopetition.transformer.mech.Graft;
import coopetition.transformer.mech.ResultTables;
import coopetition.transformer.mech.StoredRun;
import coopetition.transformer.mech.Sweeps;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.train.CheckpointHistory;
import coopetition.transformer.train.MetricsLog;
import coopetition.transformer.train.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./coop reproduce}: the mechanistic figures of the 2025 paper from one run with a checkpoint history,
 * and REPORT.md with the paper's claim, what was measured, and a verdict per figure.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Draw the paper's mechanistic figures (2a, 2b, 3a, 3b, 3c and the appendix previous-token figure 'pt')"
        + " from a run with a checkpoint history and write OUT/REPORT.md (claim / measured / verdict). Train the run first,"
        + " e.g. ./coop train --preset quick --set ckpt_every=50000 --out runs/quick-hist.")
public final class ReproduceCommand implements Runnable {
  static final List<String> FIGURES = List.of("2a", "2b", "3a", "3b", "3c", "pt");

  @Parameters(arity = "1..*", paramLabel = "FIGURE", description = "any of 2a, 2b, 3a, 3b, 3c, pt, or all")
  List<String> figures;

  @Mixin
  MechOptions options = new MechOptions();

  @Mixin
  FigureFormats formats = new FigureFormats();

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
  Path out;

  @Override
  public void run() {
    Set<String> want = new LinkedHashSet<>();
    for (String f : figures) {
      String n = f.trim().toLowerCase(Locale.ROOT);
      if (n.equals("all")) {
        want.addAll(FIGURES);
      } else if (FIGURES.contains(n)) {
        want.add(n);
      } else {
        throw new UserInputException("unknown figure '" + f + "'; reproduce draws " + String.join(", ", FIGURES)
            + " or all (Figs 1b, 5 and 6: ./coop train, toy and fit; Fig 4: ./coop train with --set donor=...)");
      }
    }
    StoredRun run = options.open();
    List<CheckpointHistory.Entry> history = run.history();
    MetricsLog log = MetricsLog.read(run.dir().resolve(TrainingRun.METRICS));
    Map<Long, Map<String, Double>> own = byRow(log);
    ModelConfig model = run.model();
    int last = model.depth();
    Path dir = AtomicFiles.prepareDirectory(out);
    List<Claims.Row> rows = new ArrayList<>();
    long finalSeqs = history.get(history.size() - 1).seqs();

    boolean attention = want.contains("2a") || want.contains("3a") || want.contains("pt");
    List<Long> early3c = want.contains("3c") ? graftPoints(history, log) : List.of();
    long graftNets = (want.contains("3b") ? history.size() : 0)
        + early3c.stream().mapToLong(e -> history.stream().filter(h -> h.seqs() >= e).count()).sum();
    System.out.printf("reproduce %s from %s: %d checkpoints%s%s%n", String.join(" ", want), run.dir(), history.size(),
        attention ? ", attention on all of them" : "", graftNets > 0 ? ", " + graftNets + " grafted networks" : "");

    if (attention) {
      List<Evaluator> evs = List.of(Evaluator.FLIP, Evaluator.CIWL, Evaluator.ICL, Evaluator.TRAIN);
      List<AttentionMeasure> m = withBar("attention", history.size(), tick -> Sweeps.attention(run, history, evs, tick));
      ResultTables.writeAttention(dir.resolve(AttentionCommand.OUTPUT), m);
      if (want.contains("3a")) {
        MechFigures.induction(m, last, model.numHeads(), dir.resolve("fig3a_induction_strength"), formats.get());
        rows.add(Claims.inductionStrength(m, last));
      }
      if (want.contains("2a")) {
        MechFigures.byCorrectLabel(m, finalSeqs, last, model.numHeads(), ModelConfig.tokens(run.config().data().contextLength() + 1),
            dir.resolve("fig2a"), formats.get());
        rows.add(Claims.copiesCorrectLabel(m, finalSeqs, last, model.numHeads()));
      }
      if (want.contains("pt")) {
        MechFigures.previousToken(m, 1, model.numHeads(), dir.resolve("previous_token"), formats.get());
        rows.add(Claims.previousTokenToSelf(m));
      }
    }
    if (want.contains("2b")) {
      rows.add(Fig2b.reproduce(run, history.get(history.size() - 1), dir, formats.get(), options.noProgress));
    }
    Graft graft = new Graft(Math.max(0, last - 1));
    if (want.contains("3b")) {
      List<CheckpointHistory.Entry> end = List.of(history.get(history.size() - 1));
      List<ResultTables.MetricsRow> g = withBar("graft 3b", history.size(), tick -> Sweeps.graft(run, history, end, graft, tick));
      ResultTables.writeMetrics(dir.resolve("graft_3b.csv"), List.of("early_seqs", "late_seqs"), g);
      MechFigures.graft(g, log, graft.splitAfterLayer(), last, dir.resolve("fig3b"), formats.get());
      rows.add(Claims.graftFromEnd(g, own));
    }
    if (!early3c.isEmpty()) {
      List<ResultTables.MetricsRow> g = new ArrayList<>();
      for (long e : early3c) {
        List<CheckpointHistory.Entry> lateOnes = history.stream().filter(h -> h.seqs() >= e).toList();
        g.addAll(withBar("graft 3c @" + e, lateOnes.size(), tick -> Sweeps.graft(run, List.of(run.at(e)), lateOnes, graft, tick)));
      }
      ResultTables.writeMetrics(dir.resolve("graft_3c.csv"), List.of("early_seqs", "late_seqs"), g);
      MechFigures.graft(g, log, graft.splitAfterLayer(), last, dir.resolve("fig3c"), formats.get());
      rows.add(Claims.graftFromPoint(g, own));
    }
    String setting = "Run " + run.dir() + ": " + run.config().title() + "; " + history.size()
        + " checkpoints from " + history.get(0).seqs() + " to " + finalSeqs + " sequences. Layers and heads from 1.";
    AtomicFiles.writeString(dir.resolve("REPORT.md"), Claims.markdown("Mechanistic figures: paper vs this run", rows, setting));
    System.out.println("wrote " + dir.resolve("REPORT.md"));
  }

  /** Fig 3c's graft points: the Flip peak, and halfway and three quarters from there to the end of the history. */
  static List<Long> graftPoints(List<CheckpointHistory.Entry> history, MetricsLog log) {
    double[] seqs = log.column("seqs");
    double[] flip = log.column("flip_in_context_acc");
    int peak = 0;
    for (int i = 0; i < flip.length; i++) {
      if (flip[i] > flip[peak]) {
        peak = i;
      }
    }
    long peakSeqs = (long) seqs[peak];
    List<Long> stored = history.stream().map(CheckpointHistory.Entry::seqs).toList();
    int from = 0;
    while (from < stored.size() - 1 && stored.get(from) < peakSeqs) {
      from++;
    }
    int to = stored.size() - 1;
    Set<Long> out = new LinkedHashSet<>();
    out.add(stored.get(from));
    out.add(stored.get(from + (to - from) / 2));
    out.add(stored.get(from + 3 * (to - from) / 4));
    return List.copyOf(out);
  }

  private static Map<Long, Map<String, Double>> byRow(MetricsLog log) {
    Map<Long, Map<String, Double>> out = new LinkedHashMap<>();
    List<String> cols = log.columns();
    for (double[] r : log.rows()) {
      Map<String, Double> m = new LinkedHashMap<>();
      for (int i = 0; i < cols.size(); i++) {
        m.put(cols.get(i), r[i]);
      }
      out.put((long) r[0], m);
    }
    return out;
  }

  /** Work that ticks once per network, under a progress bar unless --no-progress. */
  private interface Ticking<T> {
    T run(Runnable tick);
  }

  private <T> T withBar(String task, long total, Ticking<T> work) {
    try (Progress bar = options.noProgress ? null : Progress.start(task, total, "net")) {
      return work.run(() -> {
        if (bar != null) {
          bar.stepBy(1);
        }
      });
    }
  }
}
