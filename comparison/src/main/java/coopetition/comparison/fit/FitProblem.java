package coopetition.comparison.fit;

import coopetition.common.UserInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one fit works on: the model family, the observed curves, the parameters (some held at fixed
 * values), one objective per discrete variant over the same data, and the residual degrees of
 * freedom. Validated before any search starts.
 *
 * @param solves toy solves so far, across every part of the fit
 */
record FitProblem(ToyCurves model, Observations obs, FitParameters params, List<Objective> objectives,
    Objective.Data data, int dof, AtomicLong solves) {

  /**
   * @param fixedValues parameters held at a value (name to physical value); errors name the field
   *     {@code fixedValues}
   */
  static FitProblem of(ToyCurves model, Observations obs, FitSettings s, Map<String, Double> fixedValues) {
    FitParameters params = FitParameters.of(model, obs, s);
    double[] held = params.held(fixedValues);
    AtomicLong solves = new AtomicLong();
    List<Objective> objectives = new ArrayList<>();
    for (int v = 0; v < model.variants().size(); v++) {
      objectives.add(new Objective(model, v, obs.roles(), obs.partners(), params, held, solves));
    }
    int p = objectives.get(0).freeCount();
    UserInputException.requireField(p >= 1, "fixedValues", "every parameter is fixed; free at least one");
    Objective.Data data = Objective.Data.of(obs.sampled(), obs.full());
    // Each curve's map (scale, offset, an interference term where paired) is fitted too, by variable projection.
    int fitted = p + mapCount(obs);
    int dof = data.n - fitted;
    UserInputException.requireField(dof >= 1, "fixedValues", "only " + data.n + " points for " + fitted
        + " fitted numbers; give longer curves or fix parameters");
    return new FitProblem(model, obs, params, List.copyOf(objectives), data, dof, solves);
  }

  /** Numbers the curves' maps fit: scale and offset per curve, plus one per interference term. */
  static int mapCount(Observations obs) {
    return 2 * obs.roles().size() + obs.interference().terms().size();
  }

  Objective objective(int variant) {
    return objectives.get(variant);
  }

  String variantName(int variant) {
    return model.variants().get(variant);
  }

  /** How many parameters the searches move (the same for every variant). */
  int freeCount() {
    return objectives.get(0).freeCount();
  }
}
