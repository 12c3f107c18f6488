package coopetition.comparison.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coopetition.common.AtomicFiles;
import coopetition.common.Json;
import coopetition.common.Provenance;
import coopetition.common.UserInputException;
import coopetition.comparison.fit.CurvePairing;
import coopetition.comparison.fit.FitQuality;
import coopetition.comparison.fit.FitResult;
import coopetition.comparison.fit.FitSettings;
import coopetition.comparison.fit.JointFitter;
import coopetition.comparison.fit.JointResult;
import coopetition.comparison.fit.Observations;
import coopetition.comparison.fit.ToyModelCurves;
import coopetition.comparison.runs.RunData;
import coopetition.figures.FigureWriter;
import coopetition.toymodel.Summary;
import coopetition.toymodel.ToySimulator;
import coopetition.toymodel.landmark.Landmarks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A joint fit across runs from runs to files: checks that every run has the paired curves, fits,
 * then writes fit.json (per run and shared parameters with intervals, R² per curve per run, each
 * run's quality verdict, the hypothesis comparison), comparison.md (the hypotheses as a table) and
 * parameters.png/.svg ({@link JointFigure}). Nothing is written before the input is validated.
 */
public final class JointFitRunner {
  private JointFitRunner() {}

  /** What a joint fit produced; per run its quality verdict and its fitted toy's landmarks in sequences. */
  public record Outcome(JointResult result, List<FitQuality> quality, List<Landmarks> sequences, List<Path> files) {}

  /**
   * The paired curves of every run. A paired column some run lacks is one line naming those runs and
   * the columns all runs have in common (field {@code curves}; field {@code runs} when there are none).
   */
  public static List<Observations> observe(List<RunData> runs, List<String> labels, CurvePairing pairing,
      FitSettings s) {
    Set<String> common = new LinkedHashSet<>(runs.get(0).names());
    runs.forEach(r -> common.retainAll(r.names()));
    UserInputException.requireField(!common.isEmpty(), "runs", "the runs have no column in common ("
        + String.join(", ", labels) + "); a joint fit needs the same curves in every run");
    for (String column : pairing.columns().values()) {
      List<String> lacking = new ArrayList<>();
      for (int k = 0; k < runs.size(); k++) {
        if (!runs.get(k).names().contains(column)) {
          lacking.add(labels.get(k));
        }
      }
      UserInputException.requireField(lacking.isEmpty(), CurvePairing.FIELD, "column '" + column + "' is missing in "
          + String.join(", ", lacking) + "; pair columns every run has (common: " + String.join(", ", common) + ")");
    }
    List<Observations> out = new ArrayList<>();
    for (RunData r : runs) {
      out.add(Observations.of(r, pairing, s.resamplePoints(), s.logTime()));
    }
    return out;
  }

  /**
   * Each run's value of a numeric setting in its config.json, by a dotted path (e.g.
   * {@code settings.classes}); a run without it is one line on the field {@code knob}.
   */
  public static double[] knob(List<RunData> runs, List<String> labels, String path) {
    double[] out = new double[runs.size()];
    for (int k = 0; k < runs.size(); k++) {
      JsonNode n = runs.get(k).config();
      for (String part : path.split("\\.")) {
        n = n == null ? null : n.get(part);
      }
      double v = Double.NaN;
      if (n != null && (n.isNumber() || n.isTextual())) {
        try {
          v = Double.parseDouble(n.asText().trim());
        } catch (NumberFormatException e) {
          v = Double.NaN;
        }
      }
      UserInputException.requireField(Double.isFinite(v), "knob", labels.get(k) + " has no number at '" + path
          + "' in its config.json; give a numeric setting such as settings.classes, or leave --knob out");
      out[k] = v;
    }
    return out;
  }

  /**
   * @param x per run, the figure's x (the knob, or 1, 2, ...); {@code xLabel} says what it is
   */
  public static Outcome run(List<RunData> runs, List<String> labels, List<Observations> obs, CurvePairing pairing,
      ToyModelCurves model, List<String> shared, FitSettings s, Map<String, Double> fixed, double[] x, String xLabel,
      Path outDir, String command, Map<String, Object> config, Set<FigureWriter.Format> formats) {
    JointResult r = JointFitter.fit(model, labels, obs, shared, s, fixed);
    List<FitQuality> quality = new ArrayList<>();
    List<Landmarks> seqs = new ArrayList<>();
    for (int k = 0; k < runs.size(); k++) {
      FitResult f = r.perRun().get(k);
      Observations o = obs.get(k);
      double tEnd = Math.max(1, f.toyTime(o.xMax()));
      Landmarks ev = Summary.of(ToySimulator.solve(model.config(f.toyValues(), f.variantIndex()),
          model.settings().withEvents(true), ToySimulator.grid(tEnd, tEnd / 1200))).landmarks();
      Landmarks sq = ev.mapped(f.t0(), f.tau());
      seqs.add(sq);
      quality.add(FitQuality.assess(f, sq.mech1Learned(), sq.cross(), sq.mech1Lost(), o.xMin(), o.xMax()));
    }
    AtomicFiles.prepareDirectory(outDir);
    List<Path> files = new ArrayList<>();
    files.addAll(JointFigure.write(r, model.parameters(), x, xLabel, outDir.resolve("parameters"),
        formats));
    Path md = outDir.resolve("comparison.md");
    AtomicFiles.writeString(md, JointTables.hypotheses(r.comparison()));
    files.add(0, md);
    ObjectNode json = Json.object();
    json.put("shared", String.join(",", r.shared()));
    ArrayNode runNodes = json.putArray("runs");
    for (int k = 0; k < runs.size(); k++) {
      ObjectNode n = runNodes.addObject();
      n.put("label", labels.get(k));
      n.put("path", runs.get(k).source().toString());
      n.put("x", x[k]);
      ObjectNode q = n.putObject("quality");
      q.put("meets_bar", quality.get(k).meetsBar());
      q.put("line", quality.get(k).line());
      n.set("result", FitRunner.sanitize(Json.tree(r.perRun().get(k))));
      n.set("transitions_sequences", FitRunner.sanitize(Json.tree(seqs.get(k))));
      n.set("single_fit", FitRunner.sanitize(Json.tree(r.singles().get(k))));
    }
    json.put("x_label", xLabel);
    json.set("comparison", FitRunner.sanitize(Json.tree(r.comparison())));
    json.put("weighted_sse", r.weightedSse());
    json.put("points", r.points());
    json.put("degrees_of_freedom", r.degreesOfFreedom());
    json.put("toy_solves", r.toySolves());
    json.put("wall_seconds", r.wallSeconds());
    json.set("notes", Json.tree(r.notes()));
    ObjectNode mapping = json.putObject("mapping");
    pairing.columns().forEach((k, v) -> mapping.put(k.key(), v));
    json.set("config", Json.tree(config));
    json.set("provenance", Json.tree(Provenance.capture(command)));
    Path fitJson = outDir.resolve("fit.json");
    Json.write(fitJson, json);
    files.add(0, fitJson);
    return new Outcome(r, quality, seqs, files);
  }

  /** Per run its parameters and R², then the hypotheses and the verdict, for the console. */
  public static String summary(Outcome o) {
    return JointTables.perRun(o.result(), o.quality()) + "\n" + JointTables.hypotheses(o.result().comparison());
  }
}
