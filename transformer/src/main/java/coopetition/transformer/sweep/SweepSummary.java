package coopetition.transformer.sweep;

import coopetition.common.AtomicFiles;
import coopetition.transformer.train.MetricsLog;
import coopetition.transformer.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The landmarks of every finished run of a sweep, and per grid point their median and range over seed
 * sets: {@code runs.csv}, {@code points.csv} and {@code summary.md}. Unfinished runs are left out (their
 * landmarks would be read off a curve that has not ended) and counted in the Markdown.
 */
public final class SweepSummary {

  /** A finished run with its curves and landmarks. */
  public record RunResult(SweepRun run, MetricsLog log, RunLandmarks landmarks) {}

  /** One grid point: its finished runs and the seed spread of each landmark (by {@link RunLandmarks#NAMES}). */
  public record PointResult(Map<String, String> point, String label, List<RunResult> runs, int runsInSweep,
      Map<String, SeedSpread> spread) {}

  private final SweepManifest manifest;
  private final List<PointResult> points;

  public SweepSummary(SweepManifest manifest) {
    this.manifest = manifest;
    Map<Map<String, String>, List<RunResult>> byPoint = new LinkedHashMap<>();
    Map<Map<String, String>, Integer> counts = new LinkedHashMap<>();
    for (SweepRun r : manifest.runs()) {
      counts.merge(r.point(), 1, Integer::sum);
      List<RunResult> list = byPoint.computeIfAbsent(r.point(), k -> new ArrayList<>());
      if (manifest.state(r).phase() == RunState.Phase.DONE) {
        MetricsLog log = MetricsLog.read(manifest.runDir(r).resolve(TrainingRun.METRICS));
        list.add(new RunResult(r, log, RunLandmarks.of(log)));
      }
    }
    List<PointResult> out = new ArrayList<>();
    byPoint.forEach((point, runs) -> {
      Map<String, SeedSpread> spread = new LinkedHashMap<>();
      for (int i = 0; i < RunLandmarks.NAMES.size(); i++) {
        double[] v = new double[runs.size()];
        for (int k = 0; k < v.length; k++) {
          v[k] = runs.get(k).landmarks().values()[i];
        }
        spread.put(RunLandmarks.NAMES.get(i), SeedSpread.of(v));
      }
      String label = manifest.runs().stream().filter(r -> r.point().equals(point)).findFirst().orElseThrow()
          .pointLabel(manifest.spec().axes());
      out.add(new PointResult(point, label, runs, counts.get(point), spread));
    });
    this.points = List.copyOf(out);
  }

  public List<PointResult> points() {
    return points;
  }

  public int finishedRuns() {
    return points.stream().mapToInt(p -> p.runs().size()).sum();
  }

  /** Writes runs.csv, points.csv and summary.md into {@code dir}; returns them. */
  public List<Path> write(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<String> keys = manifest.spec().axes().stream().map(GridAxis::key).toList();
    StringBuilder runs = new StringBuilder("run");
    keys.forEach(k -> runs.append(',').append(k));
    runs.append(",seed_set");
    RunLandmarks.NAMES.forEach(n -> runs.append(',').append(n));
    runs.append('\n');
    StringBuilder pts = new StringBuilder(String.join(",", keys)).append(keys.isEmpty() ? "" : ",").append("seeds_done,seeds");
    for (String n : RunLandmarks.NAMES) {
      pts.append(',').append(n).append("_median,").append(n).append("_min,").append(n).append("_max,").append(n).append("_n");
    }
    pts.append('\n');
    for (PointResult p : points) {
      for (RunResult r : p.runs()) {
        runs.append(r.run().id());
        keys.forEach(k -> runs.append(',').append(p.point().get(k)));
        runs.append(',').append(r.run().seedSet().index());
        for (double v : r.landmarks().values()) {
          runs.append(',').append(csv(v));
        }
        runs.append('\n');
      }
      keys.forEach(k -> pts.append(p.point().get(k)).append(','));
      pts.append(p.runs().size()).append(',').append(p.runsInSweep());
      for (SeedSpread s : p.spread().values()) {
        pts.append(',').append(csv(s.median())).append(',').append(csv(s.min())).append(',').append(csv(s.max()))
            .append(',').append(s.defined());
      }
      pts.append('\n');
    }
    Path runsCsv = dir.resolve("runs.csv");
    Path pointsCsv = dir.resolve("points.csv");
    Path md = dir.resolve("summary.md");
    AtomicFiles.writeString(runsCsv, runs.toString());
    AtomicFiles.writeString(pointsCsv, pts.toString());
    AtomicFiles.writeString(md, markdown());
    return List.of(runsCsv, pointsCsv, md);
  }

  /** One row per grid point, each cell "median [min, max]" over the finished seed sets. */
  public String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("Sweep ").append(manifest.dir().getFileName()).append(": ").append(SweepManifest.describe(manifest.spec()))
        .append("; ").append(finishedRuns()).append(" of ").append(manifest.runs().size()).append(" runs finished.")
        .append(" Each cell: median [min, max] over seed sets; a crossing some seeds never reached shows how many did.\n\n");
    sb.append("| grid point | seeds | Flip peak | peak at | Flip < 0.5 at | Flip < 0.2 at | CIWL final | ICL final"
        + " | IWL final | train loss final |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (PointResult p : points) {
      Map<String, SeedSpread> s = p.spread();
      sb.append("| ").append(p.label()).append(" | ").append(p.runs().size())
          .append(p.runs().size() < p.runsInSweep() ? " of " + p.runsInSweep() : "")
          .append(" | ").append(cell(s.get("flip_peak"), false))
          .append(" | ").append(cell(s.get("flip_peak_seqs"), true))
          .append(" | ").append(cell(s.get("flip_below_0.5_seqs"), true))
          .append(" | ").append(cell(s.get("flip_below_0.2_seqs"), true))
          .append(" | ").append(cell(s.get("ciwl_final"), false))
          .append(" | ").append(cell(s.get("icl_final"), false))
          .append(" | ").append(cell(s.get("iwl_final"), false))
          .append(" | ").append(cell(s.get("train_loss_final"), false)).append(" |\n");
    }
    return sb.toString();
  }

  static String cell(SeedSpread s, boolean seqs) {
    if (s.seeds() == 0) {
      return "-";
    }
    if (s.defined() == 0) {
      return "never";
    }
    String c = s.defined() == 1 ? fmt(s.median(), seqs)
        : fmt(s.median(), seqs) + " [" + fmt(s.min(), seqs) + ", " + fmt(s.max(), seqs) + "]";
    return s.defined() < s.seeds() ? c + " (" + s.defined() + " of " + s.seeds() + ")" : c;
  }

  /** Sequences as 450k / 1.25M; accuracies and losses with three decimals. */
  static String fmt(double v, boolean seqs) {
    if (!seqs) {
      return String.format(Locale.ROOT, "%.3f", v);
    }
    if (v >= 1e6) {
      return String.format(Locale.ROOT, "%.3gM", v / 1e6);
    }
    return v >= 1e3 ? String.format(Locale.ROOT, "%.3gk", v / 1e3) : String.format(Locale.ROOT, "%.0f", v);
  }

  private static String csv(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }
}
