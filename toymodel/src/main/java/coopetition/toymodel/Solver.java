package coopetition.toymodel;

import coopetition.common.UserInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a trajectory is computed. The flows integrate d(theta)/dt = -grad Loss (t = GD step at lr 1);
 * the GD solvers are the authors' discrete iteration. The reduced solvers evolve the exact 8-scalar
 * system (each vector stays in span{x(0), x*}) and are the fast path for sweeps and fits.
 */
public enum Solver {
  FLOW("flow", false, true),
  GD("gd", false, false),
  FLOW_REDUCED("flow-reduced", true, true),
  GD_REDUCED("gd-reduced", true, false);

  private final String cliName;
  private final boolean reduced;
  private final boolean flow;

  Solver(String cliName, boolean reduced, boolean flow) {
    this.cliName = cliName;
    this.reduced = reduced;
    this.flow = flow;
  }

  public String cliName() {
    return cliName;
  }

  public boolean isReduced() {
    return reduced;
  }

  /** True for gradient flow (ODE integration), false for discrete gradient descent. */
  public boolean isFlow() {
    return flow;
  }

  @Override
  public String toString() {
    return cliName;
  }

  public static Solver parse(String s) {
    for (Solver v : values()) {
      if (v.cliName.equalsIgnoreCase(s.trim()) || v.name().equalsIgnoreCase(s.trim())) {
        return v;
      }
    }
    throw new UserInputException("unknown solver '" + s + "'; use one of "
        + Arrays.stream(values()).map(Solver::cliName).collect(Collectors.joining(", ")));
  }
}
