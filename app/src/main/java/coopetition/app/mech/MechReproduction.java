package coopetition.app.mech;

import coopetition.common.Progress;
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

import coopetition.figures.FigureWriter;
import java.io.PrintStream;

/**
 * The mechanistic figures of the 2025 paper from one run with a checkpoint history (Figs 2a, 2b, 3a, 3b, 3c and
 * the appendix previous-token figure), each with its row of REPORT.md.
 */
final class MechReproduction {
  static final List<String> FIGURES = List.of("2a", "2b", "3a", "3b", "3c", "pt");

  private final boolean noProgress;
  private final Set<FigureWriter.Format> formats;
  private final PrintStream out;

  MechReproduction(boolean noProgress, Set<FigureWriter.Format> formats, PrintStream out) {
    this.noProgress = noProgress;
    this.formats = Set.copyOf(formats);
    this.out = out;
  }

  /** Stored networks the figures in {@code want} evaluate, for the time estimate (3c approximated). */
  static long networks(Set<String> want, long checkpoints) {
    boolean attention = want.contains("2a") || want.contains("3a") || want.contains("pt");
    // 3c grafts three early points onto every later checkpoint: from the Flip peak on, about 1.6 histories
    // 2b: one network per (Layer-2 head, clamped delta), about 8 x 9 = 72 evaluations of one checkpoint
    return (attention ? checkpoints : 0) + (want.contains("2b") ? 72 : 0) + (want.contains("3b") ? checkpoints : 0)
        + (want.contains("3c") ? Math.round(1.6 * checkpoints) : 0);
  }

  /** Draws the figures of {@code want} (of {@link #FIGURES}) into {@code dir}; returns their REPORT rows. */
  List<Claims.Row> run(StoredRun run, Set<String> want, Path dir) {
    List<CheckpointHistory.Entry> history = run.history();
    MetricsLog log = MetricsLog.read(run.dir().resolve(TrainingRun.METRICS));
    Map<Long, Map<String, Double>> own = byRow(log);
    ModelConfig model = run.model();
    int last = model.depth();
    List<Claims.Row> rows = new ArrayList<>();
    long finalSeqs = history.get(history.size() - 1).seqs();

    boolean attention = want.contains("2a") || want.contains("3a") || want.contains("pt");
    List<Long> early3c = want.contains("3c") ? graftPoints(history, log) : List.of();
    long graftNets = (want.contains("3b") ? history.size() : 0)
        + early3c.stream().mapToLong(e -> history.stream().filter(h -> h.seqs() >= e).count()).sum();
    out.printf("reproduce %s from %s: %d checkpoints%s%s%n", String.join(" ", want), run.dir(), history.size(),
        attention ? ", attention on all of them" : "", graftNets > 0 ? ", " + graftNets + " grafted networks" : "");

    if (attention) {
      List<Evaluator> evs = List.of(Evaluator.FLIP, Evaluator.CIWL, Evaluator.ICL, Evaluator.TRAIN);
      List<AttentionMeasure> m = withBar("attention", history.size(), tick -> Sweeps.attention(run, history, evs, tick));
      ResultTables.writeAttention(dir.resolve(AttentionCommand.OUTPUT), m);
      if (want.contains("3a")) {
        MechFigures.induction(m, last, model.numHeads(), dir.resolve("fig3a_induction_strength"), formats);
        rows.add(Claims.inductionStrength(m, last));
      }
      if (want.contains("2a")) {
        MechFigures.byCorrectLabel(m, finalSeqs, last, model.numHeads(), ModelConfig.tokens(run.config().data().contextLength() + 1),
            dir.resolve("fig2a"), formats);
        rows.add(Claims.copiesCorrectLabel(m, finalSeqs, last, model.numHeads()));
      }
      if (want.contains("pt")) {
        MechFigures.previousToken(m, 1, model.numHeads(), dir.resolve("previous_token"), formats);
        rows.add(Claims.previousTokenToSelf(m));
      }
    }
    if (want.contains("2b")) {
      rows.add(Fig2b.reproduce(run, history.get(history.size() - 1), dir, formats, noProgress));
    }
    Graft graft = new Graft(Math.max(0, last - 1));
    if (want.contains("3b")) {
      List<CheckpointHistory.Entry> end = List.of(history.get(history.size() - 1));
      List<ResultTables.MetricsRow> g = withBar("graft 3b", history.size(), tick -> Sweeps.graft(run, history, end, graft, tick));
      ResultTables.writeMetrics(dir.resolve("graft_3b.csv"), List.of("early_seqs", "late_seqs"), g);
      MechFigures.graft(g, log, graft.splitAfterLayer(), last, dir.resolve("fig3b"), formats);
      rows.add(Claims.graftFromEnd(g, own));
    }
    if (!early3c.isEmpty()) {
      List<ResultTables.MetricsRow> g = new ArrayList<>();
      for (long e : early3c) {
        List<CheckpointHistory.Entry> lateOnes = history.stream().filter(h -> h.seqs() >= e).toList();
        g.addAll(withBar("graft 3c @" + e, lateOnes.size(), tick -> Sweeps.graft(run, List.of(run.at(e)), lateOnes, graft, tick)));
      }
      ResultTables.writeMetrics(dir.resolve("graft_3c.csv"), List.of("early_seqs", "late_seqs"), g);
      MechFigures.graft(g, log, graft.splitAfterLayer(), last, dir.resolve("fig3c"), formats);
      rows.add(Claims.graftFromPoint(g, own));
    }
    return rows;
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
    try (Progress bar = noProgress ? null : Progress.start(task, total, "net")) {
      return work.run(() -> {
        if (bar != null) {
          bar.stepBy(1);
        }
      });
    }
  }
}
