package coopetition.app.mech;

import com.fasterxml.jackson.databind.JsonNode;
import coopetition.app.toy.ToyCommand;
import coopetition.app.toy.ToySweepCommand;
import coopetition.common.Json;
import coopetition.common.UserInputException;
import coopetition.figures.FigureWriter;
import coopetition.transformer.mech.Claims.Row;
import coopetition.transformer.mech.Claims.Verdict;
import coopetition.transformer.train.Curves;
import coopetition.transformer.train.MetricsLog;
import coopetition.transformer.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * The figures {@code reproduce} draws with the existing commands: 1b (the run's curves), 5a and 5b (the toy
 * model: one trajectory and the phase sweep) and 6 (the remedies: committed reference runs overlaid).
 */
final class OtherFigures {
  /** The reference runs of Fig 6, in overlay order: class count, then mq, then weight decay. */
  static final List<String> REMEDY_RUNS = List.of("quick-k4096", "quick", "quick-k8192", "mq-normal", "mq",
      "weight-decay-adamw");

  private OtherFigures() {}

  /** Fig 1b: ICL emerges, then fades (Flip above, then below chance), on the run's own metrics.csv. */
  static Row fig1b(Path run, Path dir, String title, Set<FigureWriter.Format> formats) {
    MetricsLog log = MetricsLog.read(run.resolve(TrainingRun.METRICS));
    Curves.write(log, dir.resolve("fig1b"), title, formats);
    double[] x = log.column("seqs");
    double[] flip = log.column("flip_in_context_acc");
    int peak = 0;
    for (int i = 0; i < flip.length; i++) {
      peak = flip[i] > flip[peak] ? i : peak;
    }
    double last = flip[flip.length - 1];
    String measured = String.format(Locale.ROOT, "Flip peaks at %.3f at %,d sequences, %.3f at the end (%,d)", flip[peak],
        (long) x[peak], last, (long) x[x.length - 1]);
    Verdict v = flip[peak] > 0.8 && last < 0.2 ? Verdict.HOLDS : flip[peak] > 0.8 && last < 0.5 ? Verdict.PARTLY
        : Verdict.DOES_NOT_HOLD;
    return new Row("1b", "ICL emerges and then fades: Flip in-context accuracy rises well above chance, then falls below"
        + " it as CIWL takes over (holds: peak > 0.8 and end < 0.2; partly: end < 0.5)", measured, v);
  }

  /** Fig 5a: one toy-model trajectory (./coop toy): mechanism 1 is learned, then lost to mechanism 2. */
  static Row fig5a(Path dir, Set<FigureWriter.Format> formats) {
    Path out = dir.resolve("fig5a");
    execute(new ToyCommand(), "--out", out.toString(), "--formats", formatList(formats));
    JsonNode s = Json.read(out.resolve("summary.json"));
    boolean transient_ = s.path("mech1_transient").asBoolean(false);
    String measured = String.format(Locale.ROOT, "mechanism 1 learned at t=%s, lost at t=%s; L2 < L1 from t=%s",
        num(s, "t_mech1_learned"), num(s, "t_mech1_lost"), num(s, "t_cross"));
    return new Row("5a", "In the minimal model, mechanism 1 (ICL analogue) is learned first and then fades as mechanism 2"
        + " (CIWL analogue) takes over (holds: mechanism 1 transient)", measured,
        transient_ ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD);
  }

  /** Fig 5b: the toy model over alpha x nd (./coop toy-sweep): how often mechanism 1 is transient. */
  static Row fig5b(Path dir, Set<FigureWriter.Format> formats) {
    Path out = dir.resolve("fig5b");
    execute(new ToySweepCommand(), "--set", "alpha=0,0.1,0.3", "--set", "nd=80,160,640", "--seeds", "0-19", "--threads", "1",
        "--out", out.toString(), "--formats", formatList(formats));
    List<Double> fractions = new ArrayList<>();
    try {
      List<String> lines = Files.readAllLines(out.resolve("summary.csv"));
      int col = List.of(lines.get(0).split(",")).indexOf("fraction_transient");
      for (String l : lines.subList(1, lines.size())) {
        fractions.add(Double.parseDouble(l.split(",")[col]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    double lo = fractions.stream().mapToDouble(d -> d).min().orElse(Double.NaN);
    double hi = fractions.stream().mapToDouble(d -> d).max().orElse(Double.NaN);
    String measured = String.format(Locale.ROOT, "fraction of 20 seeds with mechanism 1 transient: %.2f to %.2f over"
        + " alpha 0/0.1/0.3 x nd 80/160/640 (phase.png)", lo, hi);
    return new Row("5b", "Whether mechanism 1 is transient depends on the setting (holds: some settings mostly"
        + " transient, others mostly not)", measured, lo < 0.5 && hi > 0.5 ? Verdict.HOLDS
            : hi > 0 ? Verdict.PARTLY : Verdict.DOES_NOT_HOLD);
  }

  /** A run's Flip in-context accuracy at its peak and at its last evaluation. */
  private record FlipEnds(double peak, double end) {}

  /**
   * Fig 6: the remedies (more classes, mq, weight decay) as committed reference runs, overlaid. Judged on what
   * the papers claim for the two data remedies: Flip at the end grows with the class count (4096, 6144, 8192),
   * mq ends above its normal twin, and (this reproduction's finding) every run still falls from its peak.
   * Weight decay is drawn and reported, not judged: the papers' claim for it is about longer runs and depth.
   */
  static Row fig6(Path references, Path dir, Set<FigureWriter.Format> formats) {
    List<MetricsLog> logs = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<String> ends = new ArrayList<>();
    Map<String, FlipEnds> flips = new HashMap<>();
    for (String name : REMEDY_RUNS) {
      Path m = references.resolve(name).resolve(TrainingRun.METRICS);
      UserInputException.require(Files.isRegularFile(m), "Fig 6 needs " + m + "; give --reference DIR holding the"
          + " committed reference runs (" + String.join(", ", REMEDY_RUNS) + ")");
      MetricsLog log = MetricsLog.read(m);
      logs.add(log);
      labels.add(name);
      double[] flip = log.column("flip_in_context_acc");
      double[] x = log.column("seqs");
      double end = flip[flip.length - 1];
      flips.put(name, new FlipEnds(Arrays.stream(flip).max().orElse(Double.NaN), end));
      ends.add(String.format(Locale.ROOT, "%s %.2f", name, end) + (x[x.length - 1] < 2.9e6
          ? String.format(Locale.ROOT, " (%.1fM)", x[x.length - 1] / 1e6) : ""));
    }
    Curves.writeComparison(logs, labels, dir.resolve("fig6"), formats);
    double k4096 = flips.get("quick-k4096").end();
    double k6144 = flips.get("quick").end();
    double k8192 = flips.get("quick-k8192").end();
    boolean classes = k4096 <= k6144 && k6144 <= k8192 && k8192 > k4096;
    boolean mq = flips.get("mq").end() > flips.get("mq-normal").end() + 0.1;
    boolean allFall = flips.values().stream().allMatch(f -> f.end() < f.peak() - 0.2);
    int passed = (classes ? 1 : 0) + (mq ? 1 : 0) + (allFall ? 1 : 0);
    String checks = String.format(Locale.ROOT, "; more classes end higher: %s; mq ends above normal: %s; every run falls"
        + " > 0.2 from its peak: %s", classes ? "yes" : "no", mq ? "yes" : "no", allFall ? "yes" : "no");
    return new Row("6", "More classes and matching query and distractors (mq) keep ICL longer, but here no remedy"
        + " keeps it for good (holds: all three checks; weight decay drawn, not judged; committed quick-scale"
        + " reference runs, 3M unless noted)", "Flip at the end: " + String.join(", ", ends) + checks,
        passed == 3 ? Verdict.HOLDS : passed > 0 ? Verdict.PARTLY : Verdict.DOES_NOT_HOLD);
  }

  private static void execute(Object command, String... args) {
    CommandLine cl = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((e, c, p) -> {
      throw e;
    });
    int code = cl.execute(args);
    if (code != 0) {
      throw new IllegalStateException("coop " + cl.getCommandName() + " " + String.join(" ", args) + " exited " + code);
    }
  }

  private static String formatList(Set<FigureWriter.Format> formats) {
    return formats.stream().map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(","));
  }

  private static String num(JsonNode s, String key) {
    JsonNode n = s.get(key);
    return n == null || n.isNull() || Double.isNaN(n.asDouble()) ? "never" : Long.toString(Math.round(n.asDouble()));
  }
}
