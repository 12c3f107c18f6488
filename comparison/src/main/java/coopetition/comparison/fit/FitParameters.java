package coopetition.comparison.fit;

import coopetition.common.UserInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Everything a fit varies, in one list: the toy model's own parameters, then the time map tau and t0
 * (toy time t = (sequences − t0) / tau). Physical values travel as one array in this order; tau and
 * t0 are read from it by name, never by position arithmetic at the call site.
 */
record FitParameters(List<FitParameter> all) {
  /** Names of the time map's two parameters, as they appear in fit.json and in fixed values. */
  static final String TAU = "tau";
  static final String T0 = "t0";

  FitParameters {
    all = List.copyOf(all);
    int m = all.size();
    if (m < 2 || !all.get(m - 2).name().equals(TAU) || !all.get(m - 1).name().equals(T0)) {
      throw new IllegalArgumentException("the fitted parameters must end with " + TAU + " and " + T0);
    }
  }

  /** The model's parameters, then tau and t0 with bounds taken from the data and the horizon settings. */
  static FitParameters of(ToyCurves model, Observations obs, FitSettings s) {
    double xmin = obs.xMin();
    double span = obs.xMax() - xmin;
    List<FitParameter> all = new ArrayList<>(model.parameters());
    all.add(FitParameter.logScaled(TAU, span / s.maxHorizon(), 1.5 * span / s.minHorizon(),
        "sequences per toy time unit"));
    all.add(FitParameter.linear(T0, xmin - 0.5 * span, xmin, "sequences at toy time 0"));
    return new FitParameters(all);
  }

  int size() {
    return all.size();
  }

  FitParameter get(int i) {
    return all.get(i);
  }

  /** How many of the parameters are the toy model's own (they come first). */
  int toyCount() {
    return all.size() - 2;
  }

  int tauIndex() {
    return toyCount();
  }

  int t0Index() {
    return toyCount() + 1;
  }

  FitParameter tau() {
    return all.get(tauIndex());
  }

  FitParameter t0() {
    return all.get(t0Index());
  }

  List<String> names() {
    return all.stream().map(FitParameter::name).toList();
  }

  /** The toy model's own values out of a full physical vector. */
  double[] toyValues(double[] physical) {
    return Arrays.copyOf(physical, toyCount());
  }

  double tau(double[] physical) {
    return physical[tauIndex()];
  }

  double t0(double[] physical) {
    return physical[t0Index()];
  }

  /**
   * The physical vector of held values: NaN for a free parameter.
   *
   * @param fixedValues parameter name to the value it is held at; errors name the field {@code fixedValues}
   */
  double[] held(Map<String, Double> fixedValues) {
    double[] fixed = new double[all.size()];
    Arrays.fill(fixed, Double.NaN);
    List<String> names = names();
    fixedValues.forEach((k, v) -> {
      int i = names.indexOf(k);
      UserInputException.requireField(i >= 0, "fixedValues",
          "unknown parameter '" + k + "'; fixable: " + String.join(", ", names));
      UserInputException.requireField(Double.isFinite(v), "fixedValues", k + " needs a finite value, got " + v);
      fixed[i] = v;
    });
    return fixed;
  }
}
