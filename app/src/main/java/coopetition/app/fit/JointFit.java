package coopetition.app.fit;

import coopetition.comparison.fit.CurvePairing;
import coopetition.comparison.fit.FitSettings;
import coopetition.comparison.fit.Observations;
import coopetition.comparison.fit.ToyModelCurves;
import coopetition.comparison.report.JointFitRunner;
import coopetition.comparison.runs.RunData;
import coopetition.comparison.runs.RunReaders;
import coopetition.common.UserInputException;
import coopetition.toymodel.SeedList;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ./coop fit --runs A,B,... --shared ...}: the joint fit, with the fit command's options. */
final class JointFit {
  private final FitCommand c;

  JointFit(FitCommand c) {
    this.c = c;
  }

  /** The options as a plain record for fit.json. */
  record Config(List<String> runs, List<String> labels, List<String> shared, String knob, String curves,
      String seeds, List<Integer> dimsRatios, List<String> fix, FitSettings settings) {}

  void run() {
    long start = System.nanoTime();
    CurvePairing pairing = c.pairing();
    FitSettings settings = c.settings();
    ToyModelCurves model = new ToyModelCurves(SeedList.parse(c.seeds, 1000), c.dimsRatios, c.baseDim, c.solver);
    Map<String, Double> fixed = FitCommand.parseFixed(c.fix);
    UserInputException.require(c.runs.size() >= 2, "--runs needs at least 2 runs, got " + c.runs.size()
        + "; fit one run with --run");
    List<String> labels = new ArrayList<>(c.labels);
    if (labels.isEmpty()) {
      for (Path p : c.runs) {
        labels.add(p.getFileName() == null ? p.toString() : p.getFileName().toString());
      }
    }
    UserInputException.require(labels.size() == c.runs.size(), "--labels has " + labels.size() + " labels for "
        + c.runs.size() + " runs; give one per run");
    List<RunData> data = new ArrayList<>();
    for (Path p : c.runs) {
      data.add(RunReaders.open(p, c.xColumn));
    }
    List<Observations> obs = JointFitRunner.observe(data, labels, pairing, settings);
    double[] x = new double[data.size()];
    String xLabel;
    if (c.knob != null) {
      x = JointFitRunner.knob(data, labels, c.knob);
      xLabel = c.knob;
    } else {
      StringBuilder key = new StringBuilder("run");
      for (int k = 0; k < x.length; k++) {
        x[k] = k + 1;
        key.append(k == 0 ? " (" : ", ").append(k + 1).append(" = ").append(labels.get(k));
      }
      xLabel = key.append(')').toString();
    }
    System.out.printf("coop fit: joint fit of %d runs (%s), shared %s; %d candidate variants on %d thread(s)%n",
        data.size(), String.join(", ", labels), String.join(",", c.shared), model.variants().size(),
        settings.threads());
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("fit", new Config(c.runs.stream().map(Path::toString).toList(), labels, c.shared, c.knob,
        pairing.toString(), c.seeds, c.dimsRatios, c.fix, settings));
    String command = "coop fit --runs " + String.join(",", c.runs.stream().map(Path::toString).toList())
        + " --shared " + String.join(",", c.shared) + " --out " + c.out;
    List<String> shared = c.shared.size() == 1 && c.shared.get(0).trim().equals("none") ? List.of() : c.shared;
    JointFitRunner.Outcome o = JointFitRunner.run(data, labels, obs, pairing, model, shared, settings, fixed, x,
        xLabel, c.out, command, cfg, c.formats.get());
    System.out.print(JointFitRunner.summary(o));
    for (int k = 0; k < labels.size(); k++) {
      System.out.println(labels.get(k) + ": " + o.quality().get(k).line());
    }
    for (Path f : o.files()) {
      System.out.println("wrote " + f);
    }
    System.out.printf("coop fit: done in %.1f s%n", (System.nanoTime() - start) / 1e9);
  }
}
