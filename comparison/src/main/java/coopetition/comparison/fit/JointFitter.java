package coopetition.comparison.fit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fits several runs at once, some toy parameters shared by all of them and the others (and every
 * run's tau, t0 and affine maps) per run, and compares sharing hypotheses, in four parts:
 *
 * <ol>
 *   <li>a single fit of every run ({@link ToyFitter}, no profile, no bootstrap): each run's variant
 *       (seed, dims), which it keeps, and the starting points;
 *   <li>{@link HypothesisFit}: every hypothesis, most shared first (all shared; each toy parameter
 *       alone per run; the asked one; none shared), by Levenberg–Marquardt on the
 *       {@link JointObjective} from the single fits and from the nested hypotheses' optima;
 *   <li>{@link SharingComparison}: AIC, BIC and likelihood-ratio tests, and the verdict;
 *   <li>{@link JointAssembly}: the asked hypothesis run by run, with intervals from the joint covariance.
 * </ol>
 */
public final class JointFitter {
  private JointFitter() {}

  /**
   * @param runs the runs' names (labels in the output)
   * @param obs per run, the paired curves (same pairing for every run)
   * @param shared toy parameters shared by all runs; an unknown or held name is a UserInputException
   *     on the field {@code shared}
   */
  public static JointResult fit(ToyCurves model, List<String> runs, List<Observations> obs, List<String> shared,
      FitSettings s, Map<String, Double> fixed) {
    long start = System.nanoTime();
    JointProblem problem = JointProblem.of(model, runs, obs, s, fixed);
    Set<String> asked = problem.checkShared(shared);
    List<FitResult> singles = new ArrayList<>();
    List<double[]> units = new ArrayList<>();
    int[] variants = new int[obs.size()];
    long solves = 0;
    FitSettings single = s.withBootstrap(0).withProfile(false);
    for (int r = 0; r < obs.size(); r++) {
      FitResult f = ToyFitter.fit(model, obs.get(r), single, fixed);
      singles.add(f);
      variants[r] = f.variantIndex();
      units.add(unitPoint(problem.params(r), problem.free(), f));
      solves += f.toySolves();
    }
    problem = problem.withVariants(variants);
    List<String> freeToy = problem.freeToyNames();
    Map<Set<String>, HypothesisFit> fits = new LinkedHashMap<>();
    try (Workers workers = new Workers(s.threads())) {
      for (Set<String> h : hypotheses(freeToy, asked)) {
        List<HypothesisFit> nested = new ArrayList<>();
        for (HypothesisFit g : fits.values()) {
          if (g.shared().containsAll(h)) {
            nested.add(g);
          }
        }
        fits.put(h, HypothesisFit.solve(workers, problem, h, units, nested, LocalPolish.LONG));
      }
    }
    SharingComparison comparison = compare(problem, freeToy, fits);
    HypothesisFit main = fits.get(asked);
    int n = problem.points();
    int dof = Math.max(1, n - main.fitted());
    for (FitProblem p : problem.problems()) {
      solves += p.solves().get();
    }
    double wall = (System.nanoTime() - start) / 1e9;
    List<FitResult> perRun = JointAssembly.perRun(problem, main, dof, solves, wall);
    List<String> notes = new ArrayList<>();
    for (int r = 0; r < runs.size(); r++) {
      for (String note : perRun.get(r).notes()) {
        notes.add(runs.get(r) + ": " + note);
      }
    }
    return new JointResult(runs, main.objective().layout().shared(), perRun, singles, comparison, main.sse(), n, dof,
        solves, wall, notes);
  }

  /** All shared; each free toy parameter alone per run; the asked one; none shared: most shared first. */
  static List<Set<String>> hypotheses(List<String> freeToy, Set<String> asked) {
    LinkedHashSet<Set<String>> out = new LinkedHashSet<>();
    out.add(Set.copyOf(freeToy));
    for (String p : freeToy) {
      Set<String> h = new LinkedHashSet<>(freeToy);
      h.remove(p);
      out.add(Set.copyOf(h));
    }
    out.add(Set.copyOf(asked));
    out.add(Set.of());
    List<Set<String>> list = new ArrayList<>(out);
    list.sort((a, b) -> Integer.compare(b.size(), a.size())); // stable: equal sizes keep their order
    return list;
  }

  private static SharingComparison compare(JointProblem problem, List<String> freeToy,
      Map<Set<String>, HypothesisFit> fits) {
    int n = problem.points();
    HypothesisFit all = fits.get(Set.copyOf(freeToy));
    HypothesisFit none = fits.get(Set.<String>of());
    double m = 0;
    double[] res = none.objective().at(none.point().unit()).residuals();
    for (int r = 0; r < problem.runs().size(); r++) {
      FitProblem p = problem.problems().get(r);
      int from = none.objective().rowStart(r);
      m += PlausibleFits.effectivePoints(java.util.Arrays.copyOfRange(res, from, from + p.data().n), p.data());
    }
    List<SharingComparison.Row> rows = new ArrayList<>();
    fits.values().forEach(h -> rows.add(SharingComparison.row(h.name(freeToy), h, n)));
    List<SharingComparison.Test> tests = new ArrayList<>();
    tests.add(SharingComparison.test(all.name(freeToy), all, none.name(freeToy), none, n, m));
    for (String p : freeToy) {
      Set<String> h = new LinkedHashSet<>(freeToy);
      h.remove(p);
      HypothesisFit one = fits.get(Set.copyOf(h));
      tests.add(SharingComparison.test(all.name(freeToy), all, one.name(freeToy), one, n, m));
      tests.add(SharingComparison.test(one.name(freeToy), one, none.name(freeToy), none, n, m));
    }
    return new SharingComparison(rows, tests, n, m, SharingComparison.verdict(freeToy, tests));
  }

  /** A single fit's values as unit coordinates of the free parameters, inside the box. */
  private static double[] unitPoint(FitParameters params, int[] free, FitResult f) {
    double[] phys = new double[params.size()];
    System.arraycopy(f.toyValues(), 0, phys, 0, f.toyValues().length);
    phys[params.tauIndex()] = f.tau();
    phys[params.t0Index()] = f.t0();
    double[] u = new double[free.length];
    for (int j = 0; j < free.length; j++) {
      u[j] = Math.min(1, Math.max(0, params.get(free[j]).toUnit(phys[free[j]])));
    }
    return u;
  }
}
