package coopetition.comparison.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hipparchus.distribution.continuous.ChiSquaredDistribution;

/**
 * Which toy parameters must differ between runs: every sharing hypothesis with its information
 * criteria, and likelihood-ratio tests between nested ones (Gaussian errors with one unknown
 * variance: Λ = n ln(SSE₀/SSE₁), χ² with the difference in fitted numbers as degrees of freedom).
 *
 * <p>The toy's misfit to a transformer is systematic, so its residuals are strongly correlated in
 * time and n overstates the evidence. Each test is therefore also given with the effective number of
 * points m = Σ n_r(1 − ρ_r)/(1 + ρ_r) (ρ_r the lag-1 autocorrelation of run r's residuals under the
 * least constrained hypothesis), and the verdict uses that one.
 *
 * @param rows every hypothesis, most shared first
 * @param tests first "all shared" against "none shared" (do the runs differ at all?), then for each toy
 *     parameter p: "all shared" against "p per run" (must p differ?) and "p per run" against "none
 *     shared" (is p enough?)
 * @param effectivePoints m
 * @param verdict one line: which parameter(s) must differ to explain the runs
 */
public record SharingComparison(List<Row> rows, List<Test> tests, int points, double effectivePoints,
    String verdict) {
  /** Significance level of the tests. */
  public static final double LEVEL = 0.05;

  /** One hypothesis: its weighted SSE, fitted numbers k, AIC = n ln(SSE/n) + 2k, BIC = n ln(SSE/n) + k ln n. */
  public record Row(String hypothesis, List<String> shared, double weightedSse, int fitted, double aic, double bic) {}

  /**
   * One likelihood-ratio test of a null hypothesis inside an alternative.
   *
   * @param pValue with the nominal n points
   * @param pValueEffective with the effective m points (the one the verdict reads)
   */
  public record Test(String nullHypothesis, String alternative, int df, double statistic, double pValue,
      double statisticEffective, double pValueEffective) {
    public boolean rejects() {
      return pValueEffective < LEVEL;
    }
  }

  static Row row(String name, HypothesisFit h, int n) {
    double ll = n * Math.log(h.sse() / n);
    List<String> shared = new ArrayList<>(h.objective().layout().shared());
    return new Row(name, shared, h.sse(), h.fitted(), ll + 2 * h.fitted(), ll + h.fitted() * Math.log(n));
  }

  static Test test(String nullName, HypothesisFit h0, String altName, HypothesisFit h1, int n, double m) {
    int df = Math.max(1, h1.fitted() - h0.fitted());
    double ratio = Math.log(Math.max(h0.sse(), h1.sse()) / h1.sse());
    ChiSquaredDistribution chi = new ChiSquaredDistribution(df);
    double stat = n * ratio;
    double statEff = m * ratio;
    return new Test(nullName, altName, df, stat, 1 - chi.cumulativeProbability(stat), statEff,
        1 - chi.cumulativeProbability(statEff));
  }

  /**
   * The verdict. {@code tests} start with "all shared" against "none shared" (do the runs differ at
   * all?), then alternate "must p differ" and "is p enough" per toy parameter.
   */
  static String verdict(List<String> freeToy, List<Test> tests) {
    Test omnibus = tests.get(0);
    String suffix = " (likelihood-ratio tests, effective points, 5%)";
    if (!omnibus.rejects()) {
      return String.format(Locale.ROOT, "no toy parameter must differ: one set of toy parameters (with each run's "
          + "own time scale and maps) explains all runs (all shared vs none shared: p = %.2g)", omnibus.pValueEffective())
          + suffix;
    }
    List<String> must = new ArrayList<>();
    List<String> enough = new ArrayList<>();
    for (int i = 1; i + 1 < tests.size(); i += 2) {
      String p = freeToy.get((i - 1) / 2);
      if (tests.get(i).rejects()) {
        must.add(String.format(Locale.ROOT, "%s (p = %.2g)", p, tests.get(i).pValueEffective()));
      }
      if (!tests.get(i + 1).rejects()) {
        enough.add(p);
      }
    }
    String line = String.format(Locale.ROOT, "the runs differ (all shared vs none shared: p = %.2g); ",
        omnibus.pValueEffective());
    if (must.isEmpty()) {
      line += "no single toy parameter per run fits significantly better than all shared";
    } else {
      line += "must differ between runs: " + String.join(", ", must);
    }
    line += enough.isEmpty() ? "; no single parameter per run explains the runs as well as all of them per run"
        : "; " + String.join(" or ", enough) + " alone per run explains the runs as well as all of them per run";
    return line + suffix;
  }
}
