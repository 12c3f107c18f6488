package coopetition.comparison.fit;

import coopetition.common.UserInputException;
import coopetition.toymodel.Solver;
import coopetition.toymodel.SolverSettings;
import coopetition.toymodel.ToyConfig;
import coopetition.toymodel.ToySimulator;
import coopetition.toymodel.Trajectory;
import java.util.ArrayList;
import java.util.List;

/**
 * The toy model of strategy coopetition as a fittable family: continuous alpha, mu1, mu2 and the
 * initialisation scale; discrete seed and dims (na = nb = nc = base, nd = ratio · base). Every
 * evaluation is one solve of the exact 8-scalar reduced system.
 *
 * <p>Fits run without the paper's early stop (loss threshold 0), so the objective is smooth in the
 * parameters and the toy keeps evolving as long as the transformer keeps training.
 */
public final class ToyModelCurves implements ToyCurves {
  /** Parameter names, as they appear in fit.json and in a fit's fixed values. */
  public static final String ALPHA = "alpha";
  public static final String MU1 = "mu1";
  public static final String MU2 = "mu2";
  public static final String INIT_SCALE = "init_scale";

  private final List<Long> seeds;
  private final List<Integer> dimsRatios;
  private final int baseDim;
  private final SolverSettings settings;
  private final List<FitParameter> parameters;

  /**
   * @param seeds candidate seeds (the search tries every one)
   * @param dimsRatios candidate nd / na ratios (the paper: 8)
   * @param baseDim na = nb = nc (the paper: 20)
   * @param solver FLOW_REDUCED (smooth; default) or GD_REDUCED (the authors' discrete steps)
   */
  public ToyModelCurves(List<Long> seeds, List<Integer> dimsRatios, int baseDim, Solver solver) {
    UserInputException.requireField(!seeds.isEmpty(), "seeds", "is empty; give at least one seed");
    UserInputException.requireField(!dimsRatios.isEmpty(), "dimsRatios", "is empty; give at least one ratio");
    for (int r : dimsRatios) {
      UserInputException.requireField(r >= 1, "dimsRatios", "must be >= 1, got " + r);
    }
    UserInputException.requireField(baseDim >= 1, "baseDim", "must be >= 1, got " + baseDim);
    UserInputException.requireField(solver.isReduced(), "solver",
        "the fit needs a reduced solver (flow-reduced or gd-reduced), got " + solver.cliName());
    this.seeds = List.copyOf(seeds);
    this.dimsRatios = List.copyOf(dimsRatios);
    this.baseDim = baseDim;
    this.settings = SolverSettings.defaults(solver).withLossThreshold(0).withEvents(false).withProgress(false)
        .withTolerances(1e-8, 1e-10);
    this.parameters = List.of(
        FitParameter.logScaled(ALPHA, 0.01, 1.0, "competition weight alpha"),
        FitParameter.logScaled(MU1, 0.01, 1.0, "offset mu1 of L1 in the product"),
        FitParameter.linear(MU2, 0.0, 0.3, "offset mu2 of L2 in the product"),
        FitParameter.logScaled(INIT_SCALE, 0.2, 3.0, "scale of the random initial vectors"));
  }

  /**
   * The dims ratios nd/na a fit tries by default: 1 and the paper's 8. nd sets how slowly mechanism 2
   * learns; at 8 alone the toy's L2 cannot start falling as early as our transformer's CIWL loss does
   * (issue 15 study: R² 0.73–0.83 on the CIWL loss; with 1 as a candidate every quick run picks it).
   */
  public static final List<Integer> DEFAULT_DIMS_RATIOS = List.of(1, 8);

  /** The fit's default candidates: seeds 0..n-1, dims ratios {@link #DEFAULT_DIMS_RATIOS}, reduced flow. */
  public static ToyModelCurves fitDefaults(int nSeeds) {
    return new ToyModelCurves(seedRange(nSeeds), DEFAULT_DIMS_RATIOS, 20, Solver.FLOW_REDUCED);
  }

  private static List<Long> seedRange(int nSeeds) {
    List<Long> s = new ArrayList<>();
    for (long i = 0; i < nSeeds; i++) {
      s.add(i);
    }
    return s;
  }

  /** The paper's dims, candidate seeds 0..n-1, reduced flow. */
  public static ToyModelCurves paperDims(int nSeeds) {
    return new ToyModelCurves(seedRange(nSeeds), List.of(8), 20, Solver.FLOW_REDUCED);
  }

  @Override
  public List<FitParameter> parameters() {
    return parameters;
  }

  @Override
  public double[] typicalValues() {
    return new double[] {0.1, 0.1, 0.0, 1.0};
  }

  @Override
  public List<String> variants() {
    List<String> out = new ArrayList<>();
    for (int r : dimsRatios) {
      for (long s : seeds) {
        out.add("seed " + s + ", nd/na " + r);
      }
    }
    return out;
  }

  /** The toy config of a variant at the given parameter values. */
  public ToyConfig config(double[] values, int variant) {
    int r = dimsRatios.get(variant / seeds.size());
    long seed = seeds.get(variant % seeds.size());
    return new ToyConfig(baseDim, baseDim, baseDim, r * baseDim, values[0], values[1], values[2], 0.0, values[3], seed);
  }

  public SolverSettings settings() {
    return settings;
  }

  /**
   * L1 between learned (0) and unlearned (its null value K1/(2 N1)), L2 likewise, the total between
   * both unlearned and both learned: the toy's own ranges, whatever the initial drop adds.
   */
  @Override
  public double[] ownRanges(double[] values, int variant) {
    coopetition.toymodel.model.ToyModel m = coopetition.toymodel.model.ToyModel.of(config(values, variant));
    double[] out = new double[ToyCurve.values().length];
    out[ToyCurve.MECH1.ordinal()] = m.l1Null();
    out[ToyCurve.MECH2.ordinal()] = m.l2Null();
    out[ToyCurve.TOTAL.ordinal()] = (m.l1Null() + values[1]) * (m.l2Null() + values[2]) - values[1] * values[2];
    return out;
  }

  @Override
  public double[][] evaluate(double[] values, int variant, double[] t) {
    Trajectory tr = ToySimulator.solve(config(values, variant), settings, t);
    double[][] out = new double[ToyCurve.values().length][];
    out[ToyCurve.MECH1.ordinal()] = tr.l1();
    out[ToyCurve.MECH2.ordinal()] = tr.l2();
    out[ToyCurve.TOTAL.ordinal()] = tr.loss();
    return out;
  }
}
