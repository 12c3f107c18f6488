package coopetition.comparison.fit;

import coopetition.common.UserInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a joint fit across runs works on: one {@link FitProblem} per run (its curves, its tau and t0
 * boxes, the same held values), and the discrete variant (seed, dims) each run keeps, taken from its
 * own single fit. Which toy parameters are shared is a {@link JointLayout} per hypothesis.
 *
 * @param runs the runs' names, as the output labels them
 * @param variants per run, the variant its single fit chose
 */
record JointProblem(ToyCurves model, List<String> runs, List<FitProblem> problems, int[] variants) {
  /** The field errors about the shared parameters are reported against. */
  static final String SHARED_FIELD = "shared";

  static JointProblem of(ToyCurves model, List<String> runs, List<Observations> obs, FitSettings s,
      Map<String, Double> fixed) {
    UserInputException.requireField(obs.size() >= 2, "runs", "a joint fit needs at least 2 runs, got " + obs.size());
    List<FitProblem> problems = new ArrayList<>();
    for (Observations o : obs) {
      problems.add(FitProblem.of(model, o, s, fixed));
    }
    return new JointProblem(model, List.copyOf(runs), List.copyOf(problems), new int[obs.size()]);
  }

  JointProblem withVariants(int[] v) {
    return new JointProblem(model, runs, problems, v.clone());
  }

  FitParameters params(int run) {
    return problems.get(run).params();
  }

  /** The free parameter indices (the same in every run). */
  int[] free() {
    return problems.get(0).objective(0).freeIndices();
  }

  /** The free toy parameters' names: the ones a hypothesis may share or not. */
  List<String> freeToyNames() {
    List<String> out = new ArrayList<>();
    FitParameters p = params(0);
    for (int i : free()) {
      if (i < p.toyCount()) {
        out.add(p.get(i).name());
      }
    }
    return out;
  }

  /** Checks a set of shared names against the free toy parameters; errors name the field {@code shared}. */
  Set<String> checkShared(List<String> names) {
    List<String> allowed = freeToyNames();
    Set<String> out = new LinkedHashSet<>();
    for (String n : names) {
      String t = n.trim();
      UserInputException.requireField(allowed.contains(t), SHARED_FIELD, "'" + t + "' is not a free toy parameter;"
          + " share some of: " + String.join(", ", allowed) + " (tau, t0 and the affine maps are always per run)");
      out.add(t);
    }
    return out;
  }

  Objective objective(int run) {
    return problems.get(run).objective(variants[run]);
  }

  JointObjective objective(Set<String> shared) {
    List<Objective> objs = new ArrayList<>();
    List<Objective.Data> data = new ArrayList<>();
    for (int r = 0; r < problems.size(); r++) {
      objs.add(objective(r));
      data.add(problems.get(r).data());
    }
    return new JointObjective(objs, data, JointLayout.of(params(0), free(), problems.size(), shared));
  }

  /** Number of points all runs' objectives see. */
  int points() {
    return problems.stream().mapToInt(p -> p.data().n).sum();
  }

  /** Map numbers fitted (scale and offset per curve per run, plus interference terms). */
  int affineCount() {
    return problems.stream().mapToInt(p -> FitProblem.mapCount(p.obs())).sum();
  }
}
