package coopetition.comparison.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coopetition.comparison.fit.CurvePairing;
import coopetition.comparison.fit.FitQuality;
import coopetition.comparison.fit.FitResult;
import coopetition.comparison.fit.FitSettings;
import coopetition.comparison.fit.Observations;
import coopetition.comparison.fit.ToyFitter;
import coopetition.comparison.fit.ToyModelCurves;
import coopetition.comparison.runs.RunData;
import coopetition.common.AtomicFiles;
import coopetition.common.Json;
import coopetition.common.Provenance;
import coopetition.figures.FigureWriter;
import coopetition.toymodel.Summary;
import coopetition.toymodel.ToySimulator;
import coopetition.toymodel.Trajectory;
import coopetition.toymodel.landmark.Landmark;
import coopetition.toymodel.landmark.Landmarks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One fit from run to files: validates the curves, fits, then writes fit.json (result, mapping,
 * settings, provenance), overlay.png/.svg and side_by_side.png/.svg into the output directory.
 * Nothing is written before the input has been validated.
 */
public final class FitRunner {
  private FitRunner() {}

  /** What a fit produced. */
  public record Outcome(FitResult result, Landmarks toyTime, Landmarks sequences, FitQuality quality,
      List<Path> files) {}

  /** Reads the paired curves; throws a UserInputException before anything is written. */
  public static Observations observe(RunData run, CurvePairing pairing, FitSettings s) {
    return Observations.of(run, pairing, s.resamplePoints(), s.logTime());
  }

  public static Outcome run(RunData run, Observations obs, CurvePairing pairing, ToyModelCurves model, FitSettings s,
      Map<String, Double> fixed, Path outDir, String command, Map<String, Object> config,
      Set<FigureWriter.Format> formats) {
    FitResult r = ToyFitter.fit(model, obs, s, fixed);

    double xMin = obs.xMin();
    double xMax = obs.xMax();
    int n = 600;
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = xMin + (xMax - xMin) * i / (n - 1);
    }
    double[][] fitted = ToyFitter.toyCurves(model, r, xs);
    double tEnd = Math.max(1, r.toyTime(xMax));
    double[] t = new double[1201];
    for (int i = 0; i < t.length; i++) {
      t[i] = tEnd * i / (t.length - 1);
    }
    // The fit's own solves skip event detection; here the landmarks are located on the flow itself.
    Trajectory toy = ToySimulator.solve(model.config(r.toyValues(), r.variantIndex()),
        model.settings().withEvents(true), t);
    Landmarks toyEvents = Summary.of(toy).landmarks();
    Landmarks seqEvents = toyEvents.mapped(r.t0(), r.tau());
    FitQuality quality = FitQuality.assess(r, seqEvents.mech1Learned(), seqEvents.cross(), seqEvents.mech1Lost(),
        xMin, xMax);
    String runName = run.source().getParent() == null ? run.source().toString()
        : run.source().getParent().getFileName() + "/" + run.source().getFileName();
    if (!quality.meetsBar()) {
      runName += " (does NOT meet the bar)"; // never drawn as a success
    }

    AtomicFiles.prepareDirectory(outDir);
    List<Path> files = new ArrayList<>();
    files.addAll(FitFigures.overlay(obs, r, xs, fitted, seqEvents, runName, outDir.resolve("overlay"), formats));
    files.addAll(FitFigures.sideBySide(obs, toy, toyEvents, r, runName, outDir.resolve("side_by_side"), formats));

    ObjectNode json = Json.object();
    ObjectNode runNode = json.putObject("run");
    runNode.put("path", run.source().toString());
    runNode.put("format", run.format());
    if (run.config() != null) {
      runNode.set("config", run.config());
    }
    ObjectNode mapping = json.putObject("mapping");
    pairing.columns().forEach((k, v) -> mapping.put(k.key(), v));
    mapping.put("time", "toy t = (sequences - t0) / tau");
    mapping.put("curves", "run curve ≈ scale · toy curve + offset (per curve)"
        + (pairing.interference().terms().isEmpty() ? "" : " + interference · partner toy curve"));
    mapping.put("interference", pairing.interference().toString());
    json.set("config", Json.tree(config));
    ObjectNode q = json.putObject("quality");
    q.put("meets_bar", quality.meetsBar());
    q.put("line", quality.line());
    q.put("r2_bar", FitQuality.R2_BAR);
    json.set("result", sanitize(Json.tree(r)));
    ObjectNode tr = json.putObject("transitions");
    tr.set("toy_time", sanitize(Json.tree(toyEvents)));
    tr.set("sequences", sanitize(Json.tree(seqEvents)));
    json.set("provenance", Json.tree(Provenance.capture(command)));
    Path fitJson = outDir.resolve("fit.json");
    Json.write(fitJson, json);
    files.add(0, fitJson);
    return new Outcome(r, toyEvents, seqEvents, quality, files);
  }

  /** JSON has no NaN or infinity: those become null. */
  static JsonNode sanitize(JsonNode node) {
    if (node instanceof ObjectNode o) {
      List<String> nulls = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        if (e.getValue().isNumber() && !Double.isFinite(e.getValue().doubleValue())) {
          nulls.add(e.getKey());
        } else {
          sanitize(e.getValue());
        }
      }
      nulls.forEach(o::putNull);
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        JsonNode v = a.get(i);
        if (v.isNumber() && !Double.isFinite(v.doubleValue())) {
          a.set(i, a.nullNode());
        } else {
          sanitize(v);
        }
      }
    }
    return node;
  }

  /** The summary of an outcome, ending with its one-line quality verdict. */
  public static String summary(Outcome o) {
    return summary(o.result(), o.sequences()) + o.quality().line() + "\n";
  }

  /** A short human summary of a fit, for the console and REPORT.md. */
  public static String summary(FitResult r, Landmarks seq) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("variant: %s%n", r.variant()));
    b.append(String.format("%-11s %12s   %-27s %-27s %s%n", "parameter", "value", "95% interval", "joint 95% interval",
        "bootstrap 95%"));
    for (FitResult.Estimate e : r.parameters()) {
      if (e.fixed()) {
        b.append(String.format("%-11s %12.5g   (fixed)%n", e.name(), e.value()));
      } else {
        b.append(String.format("%-11s %12.5g   [%10.4g, %10.4g]  [%10.4g, %10.4g]  [%10.4g, %10.4g]%n", e.name(),
            e.value(), e.lower(), e.upper(), e.jointLower(), e.jointUpper(), e.bootLower(), e.bootUpper()));
      }
    }
    b.append(String.format("%-6s %-20s %10s %10s %8s %10s  %s%n", "curve", "run column", "scale", "offset", "R²", "RMSE",
        "interference"));
    for (FitResult.CurveFit c : r.curves()) {
      String cross = c.interference() == null ? "" : String.format("%.4g·%s [%.4g, %.4g]", c.interference().value(),
          c.interference().partner().key(), c.interference().lower(), c.interference().upper());
      b.append(String.format("%-6s %-20s %10.4g %10.4g %8.4f %10.4g  %s%n", c.role().key(), c.column(), c.scale(),
          c.offset(), c.r2(), c.rmse(), cross));
    }
    b.append(String.format("transitions (sequences): %s %s, crossing %s, %s %s%n",
        Landmark.MECH1_LEARNED.label(), fmt(seq.mech1Learned()), fmt(seq.cross()), Landmark.MECH1_LOST.label(),
        fmt(seq.mech1Lost())));
    b.append(String.format("%d toy solves, %.1f s wall%n", r.toySolves(), r.wallSeconds()));
    for (String note : r.notes()) {
      b.append("note: ").append(note).append('\n');
    }
    return b.toString();
  }

  static String fmt(double v) {
    return Double.isFinite(v) ? String.format("%.4g", v) : "—";
  }
}
