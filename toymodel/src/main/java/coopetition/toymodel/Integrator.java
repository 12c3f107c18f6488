package coopetition.toymodel;

import coopetition.common.UserInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The integrator behind the gradient-flow solvers; all are adaptive with dense output. Every one
 * but {@link #DOPRI5} is a Hipparchus integrator.
 */
public enum Integrator {
  /**
   * Built-in, allocation-free Dormand-Prince 5(4) with Shampine's 4th-order dense output and event
   * location on the interpolant: the fast path for the reduced system, where Hipparchus' per-step
   * and per-sample objects would dominate the ~100 flops of work per step.
   */
  DOPRI5("dopri5"),
  /** Dormand-Prince 8(5,3): the default, and the scipy DOP853 peer in the benchmark. */
  DP853("dp853"),
  /** Dormand-Prince 5(4), scipy's RK45. */
  DP54("dp54"),
  /** Higham-Hall 5(4). */
  HH54("hh54"),
  /** Gragg-Bulirsch-Stoer extrapolation. */
  GBS("gbs"),
  /** Adams-Bashforth multistep (4 steps). */
  ADAMS_BASHFORTH("adams-bashforth"),
  /** Adams-Moulton multistep (4 steps). */
  ADAMS_MOULTON("adams-moulton");

  private final String cliName;

  Integrator(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  @Override
  public String toString() {
    return cliName;
  }

  public static Integrator parse(String s) {
    for (Integrator v : values()) {
      if (v.cliName.equalsIgnoreCase(s.trim()) || v.name().equalsIgnoreCase(s.trim())) {
        return v;
      }
    }
    throw new UserInputException("unknown integrator '" + s + "'; use one of "
        + Arrays.stream(values()).map(Integrator::cliName).collect(Collectors.joining(", ")));
  }
}
