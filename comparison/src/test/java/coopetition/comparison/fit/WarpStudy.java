package coopetition.comparison.fit;

import coopetition.comparison.runs.RunData;
import coopetition.comparison.runs.RunReaders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Study harness (not a test): fits with a power time warp, toy time t' = H (t / H)^warp, to see
 * whether the toy's sharp transitions stretched late in training fit the transformer's gradual ones.
 * Run: java -cp ... coopetition.comparison.fit.WarpStudy RUN_DIR [curves] [fix...]
 */
public final class WarpStudy {
  /** The toy model with one more parameter, the warp exponent. */
  record Warped(ToyCurves inner, double h) implements ToyCurves {
    @Override
    public List<FitParameter> parameters() {
      List<FitParameter> p = new ArrayList<>(inner.parameters());
      p.add(FitParameter.linear("warp", 0.2, 1.5, "power time warp"));
      return p;
    }

    @Override
    public double[] typicalValues() {
      double[] t = inner.typicalValues();
      double[] out = Arrays.copyOf(t, t.length + 1);
      out[t.length] = 1.0;
      return out;
    }

    @Override
    public List<String> variants() {
      return inner.variants();
    }

    @Override
    public double[][] evaluate(double[] values, int variant, double[] t) {
      double g = values[values.length - 1];
      double[] w = new double[t.length];
      for (int i = 0; i < t.length; i++) {
        w[i] = h * Math.pow(t[i] / h, g);
      }
      return inner.evaluate(Arrays.copyOf(values, values.length - 1), variant, w);
    }
  }

  public static void main(String[] args) {
    RunData run = RunReaders.open(Path.of(args[0]), "seqs");
    CurvePairing pairing = args.length > 1 ? CurvePairing.parse(args[1]) : CurvePairing.defaults();
    FitSettings s = FitSettings.defaults().withBootstrap(0).withProfile(false).withSearch(3, 500, 3);
    Observations obs = Observations.of(run, pairing, s.resamplePoints(), false);
    ToyCurves model = new Warped(ToyModelCurves.paperDims(6), s.typicalHorizon());
    FitResult r = ToyFitter.fit(model, obs, s, Map.of());
    StringBuilder b = new StringBuilder(args[0] + " " + pairing + " variant " + r.variant() + "\n");
    for (FitResult.Estimate e : r.parameters()) {
      b.append(String.format("  %-10s %.4g%s%n", e.name(), e.value(), e.atBound() ? " (at bound)" : ""));
    }
    for (FitResult.CurveFit c : r.curves()) {
      b.append(String.format("  %-12s scale %.3g offset %.3g R² %.4f%n", c.column(), c.scale(), c.offset(), c.r2()));
    }
    b.append(String.format("  cond %.2e, %d solves, %.1f s%n", r.conditionNumber(), r.toySolves(), r.wallSeconds()));
    System.out.print(b);
  }
}
