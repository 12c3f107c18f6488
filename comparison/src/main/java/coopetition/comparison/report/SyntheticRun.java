package coopetition.comparison.report;

import coopetition.comparison.fit.ToyCurve;
import coopetition.comparison.fit.ToyModelCurves;
import coopetition.common.AtomicFiles;
import coopetition.common.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A "transformer-like" run made by the toy model itself: toy curves at known parameters, put on a
 * sequences axis (seqs = t0 + tau · t), mapped affinely to cross-entropy-like scales, plus Gaussian
 * noise of a given fraction of each curve's range, written as DIR/metrics.csv and DIR/config.json
 * in the transformer module's layout. Used by the demo when no reference run exists, and by tests.
 *
 * @param affine per toy curve (ToyCurve order) {scale, offset}
 */
public record SyntheticRun(double[] toyValues, int variant, double tau, double t0, double[][] affine, double noise,
    long noiseSeed, int points, double maxSequences) {

  /** A fixed, documented truth: seed 0 of the candidates 0-5, the whole transition inside the run, mu2 = 0 as in the paper. */
  public static SyntheticRun demo() {
    return new SyntheticRun(new double[] {0.1, 0.1, 0.0, 1.0}, 0, 2000.0, -1.0e5,
        new double[][] {{5.0, 1.0}, {6.0, 0.3}, {8.0, 0.2}}, 0.02, 42L, 200, 2.0e7);
  }

  /** Writes DIR/metrics.csv and DIR/config.json; returns the directory. */
  public Path write(Path dir, ToyModelCurves model) {
    double[] x = new double[points];
    double[] t = new double[points];
    for (int i = 0; i < points; i++) {
      // Multiples of the batch size 32, as a real run logs them.
      x[i] = Math.round(maxSequences * i / (points - 1) / 32.0) * 32.0;
      t[i] = Math.max(0, (x[i] - t0) / tau);
    }
    double[][] toy = model.evaluate(toyValues, variant, t);
    Random rng = new Random(noiseSeed);
    double[][] y = new double[3][points];
    for (ToyCurve c : ToyCurve.values()) {
      int k = c.ordinal();
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < points; i++) {
        y[k][i] = affine[k][0] * toy[k][i] + affine[k][1];
        lo = Math.min(lo, y[k][i]);
        hi = Math.max(hi, y[k][i]);
      }
      for (int i = 0; i < points; i++) {
        y[k][i] += noise * (hi - lo) * rng.nextGaussian();
      }
    }
    StringBuilder csv = new StringBuilder("seqs,step,train_loss,icl_loss,ciwl_loss\n");
    for (int i = 0; i < points; i++) {
      csv.append(String.format(Locale.ROOT, "%.0f,%d,%.6f,%.6f,%.6f%n", x[i], (long) (x[i] / 32),
          y[ToyCurve.TOTAL.ordinal()][i], y[ToyCurve.MECH1.ordinal()][i], y[ToyCurve.MECH2.ordinal()][i]));
    }
    AtomicFiles.writeString(dir.resolve("metrics.csv"), csv.toString());
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("synthetic", true);
    cfg.put("description", "made by the toy model itself (coopetition.comparison.report.SyntheticRun), not a transformer");
    cfg.put("toy_variant", model.variants().get(variant));
    cfg.put("alpha", toyValues[0]);
    cfg.put("mu1", toyValues[1]);
    cfg.put("mu2", toyValues[2]);
    cfg.put("init_scale", toyValues[3]);
    cfg.put("tau", tau);
    cfg.put("t0", t0);
    cfg.put("affine_mech1_icl", affine[0]);
    cfg.put("affine_mech2_ciwl", affine[1]);
    cfg.put("affine_total_train", affine[2]);
    cfg.put("noise_fraction_of_range", noise);
    cfg.put("noise_seed", noiseSeed);
    Json.write(dir.resolve("config.json"), cfg);
    return dir;
  }
}
