package coopetition.comparison.fit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * One sharing hypothesis fitted: the named toy parameters take one value for all runs, every other
 * free parameter one value per run. Fitted by Levenberg–Marquardt on the {@link JointObjective} from
 * several starts: each run's single-fit values for the shared ones, their mean, and the optima of the
 * hypotheses nested in this one (so a hypothesis with more freedom never fits worse than one it contains).
 *
 * @param shared the shared toy parameters
 * @param point the best joint point (unit coordinates) and its weighted SSE
 * @param fitted how many numbers the hypothesis fits (nonlinear, plus the affine maps)
 */
record HypothesisFit(Set<String> shared, JointObjective objective, ParameterPoint point, int fitted) {

  double sse() {
    return point.sse();
  }

  String name(List<String> freeToy) {
    List<String> own = new ArrayList<>();
    for (String p : freeToy) {
      if (!shared.contains(p)) {
        own.add(p);
      }
    }
    if (own.isEmpty()) {
      return "all shared";
    }
    if (shared.isEmpty()) {
      return "none shared";
    }
    return String.join("+", own) + " per run";
  }

  /**
   * @param singles per run, the unit vector of its single fit
   * @param nested hypotheses already fitted whose shared set contains this one's
   */
  static HypothesisFit solve(Workers workers, JointProblem problem, Set<String> shared, List<double[]> singles,
      List<HypothesisFit> nested, int iterations) {
    JointObjective obj = problem.objective(shared);
    JointLayout layout = obj.layout();
    List<double[]> starts = new ArrayList<>();
    starts.add(layout.join(singles, -1));
    if (!layout.shared().isEmpty()) {
      for (int r = 0; r < layout.runs(); r++) {
        starts.add(layout.join(singles, r));
      }
    }
    for (HypothesisFit h : nested) {
      starts.add(layout.join(h.objective().layout().split(h.point().unit()), 0));
    }
    List<Callable<ParameterPoint>> tasks = new ArrayList<>();
    for (double[] s : starts) {
      tasks.add(() -> LocalPolish.levenbergMarquardt(obj, s, iterations));
    }
    ParameterPoint best = workers.runAll(tasks, null, "").stream().min(Comparator.comparingDouble(ParameterPoint::sse))
        .orElseThrow();
    return new HypothesisFit(Set.copyOf(shared), obj, best, layout.size() + problem.affineCount());
  }
}
