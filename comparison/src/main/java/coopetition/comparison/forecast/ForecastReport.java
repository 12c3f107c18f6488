package coopetition.comparison.forecast;

import com.fasterxml.jackson.databind.node.ObjectNode;
import coopetition.comparison.fit.FitResult;
import coopetition.common.AtomicFiles;
import coopetition.common.Json;
import coopetition.common.Provenance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a forecast as forecast.json plus forecast.png/.svg, and says it in a few lines. */
public final class ForecastReport {
  private ForecastReport() {}

  public static List<Path> write(Forecast f, Path runSource, String runName, Path outDir, String command) {
    AtomicFiles.prepareDirectory(outDir);
    ObjectNode json = Json.object();
    json.put("run", runSource.toString());
    json.put("upto", f.upto());
    json.put("last_logged", f.lastSeqs());
    json.put("horizon", f.horizon());
    crossing(json.putObject("flip_below_0_5"), f.flipBelow05(), "the fitted toy's L2 crosses below L1");
    crossing(json.putObject("flip_below_0_2"), f.flipBelow02(), "the fitted toy loses mechanism 1 "
        + "(L1 back above a tenth of its null value, the toy model's one landmark definition)");
    json.put("transient", f.transientIcl());
    json.put("transient_share", f.transientShare());
    json.put("plausible_fits", f.plausibleFits());
    ObjectNode obs = json.putObject("observed");
    obs.put("column", FlipCurve.COLUMN);
    num(obs, "flip_below_0_5", f.observed05());
    num(obs, "flip_below_0_2", f.observed02());
    ObjectNode base = json.putObject("baseline_logit_linear");
    crossing(base.putObject("flip_below_0_5"), f.baseline05(), "a straight line through logit(Flip) from its peak");
    crossing(base.putObject("flip_below_0_2"), f.baseline02(), "a straight line through logit(Flip) from its peak");
    ObjectNode fit = json.putObject("fit");
    fit.put("variant", f.fit().variant());
    for (FitResult.Estimate e : f.fit().parameters()) {
      num(fit, e.name(), e.value());
    }
    ObjectNode r2 = fit.putObject("r2");
    for (FitResult.CurveFit c : f.fit().curves()) {
      num(r2, c.column(), c.r2());
    }
    fit.put("condition_number", f.fit().conditionNumber());
    fit.set("notes", Json.tree(f.fit().notes()));
    json.set("provenance", Json.tree(Provenance.capture(command)));
    List<Path> files = new ArrayList<>();
    Path js = outDir.resolve("forecast.json");
    Json.write(js, json);
    files.add(js);
    files.addAll(ForecastFigure.write(f, runName, outDir.resolve("forecast")));
    return files;
  }

  private static void crossing(ObjectNode n, Crossing c, String reads) {
    num(n, "estimate", c.estimate());
    num(n, "lo", c.lo());
    num(n, "hi", c.hi());
    n.put("open_above", c.hi() == Double.POSITIVE_INFINITY);
    n.put("reads", reads);
  }

  /** JSON has no NaN or infinity: those become null. */
  private static void num(ObjectNode n, String key, double v) {
    if (Double.isFinite(v)) {
      n.put(key, v);
    } else {
      n.putNull(key);
    }
  }

  /** A few lines for the console. */
  public static String summary(Forecast f) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "forecast from %s sequences (run logged up to %s), %d plausible fits%n",
        ForecastFigure.seqs(f.upto()), ForecastFigure.seqs(f.lastSeqs()), f.plausibleFits()));
    line(b, "Flip < 0.5", f.flipBelow05(), f.observed05(), f.baseline05());
    line(b, "Flip < 0.2", f.flipBelow02(), f.observed02(), f.baseline02());
    b.append(String.format(Locale.ROOT, "ICL fades (mechanism 1 lost before %s): %s (%.0f%% of plausible fits)%n",
        ForecastFigure.seqs(f.horizon()), f.transientIcl() ? "yes" : "no", 100 * f.transientShare()));
    b.append("toy fit R²: ");
    for (FitResult.CurveFit c : f.fit().curves()) {
      b.append(String.format(Locale.ROOT, "%s %.3f  ", c.column(), c.r2()));
    }
    b.append('\n');
    return b.toString();
  }

  private static void line(StringBuilder b, String what, Crossing c, double observed, Crossing baseline) {
    b.append(String.format(Locale.ROOT, "%s: toy forecast %s, interval %s; observed %s; logit baseline %s, interval %s%n",
        what, ForecastFigure.seqs(c.estimate()), interval(c),
        Double.isNaN(observed) ? "not (yet) seen" : ForecastFigure.seqs(observed),
        ForecastFigure.seqs(baseline.estimate()), interval(baseline)));
  }

  private static String interval(Crossing c) {
    return Double.isNaN(c.lo()) ? "—" : ForecastFigure.seqs(c.lo()) + " – " + ForecastFigure.seqs(c.hi());
  }
}
