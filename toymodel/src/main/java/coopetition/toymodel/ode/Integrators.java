package coopetition.toymodel.ode;

import coopetition.toymodel.Integrator;
import org.hipparchus.ode.ODEIntegrator;
import org.hipparchus.ode.nonstiff.AdamsBashforthIntegrator;
import org.hipparchus.ode.nonstiff.AdamsMoultonIntegrator;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.hipparchus.ode.nonstiff.GraggBulirschStoerIntegrator;
import org.hipparchus.ode.nonstiff.HighamHall54Integrator;

/** Builds a fresh Hipparchus integrator per solve (integrators hold per-run state and are not thread-safe). */
final class Integrators {
  private static final int ADAMS_STEPS = 4;
  /** Longest step, in time units (GD steps). */
  static final double MAX_STEP = 100.0;

  private Integrators() {}

  static ODEIntegrator create(Integrator kind, double span, double rtol, double atol) {
    double minStep = 1e-10;
    // Long steps late in a run can overshoot into overflow (NaN); the dynamics never need more.
    double maxStep = Math.min(Math.max(span, 1.0), MAX_STEP);
    return switch (kind) {
      case DP853 -> new DormandPrince853Integrator(minStep, maxStep, atol, rtol);
      case DP54 -> new DormandPrince54Integrator(minStep, maxStep, atol, rtol);
      case HH54 -> new HighamHall54Integrator(minStep, maxStep, atol, rtol);
      case GBS -> new GraggBulirschStoerIntegrator(minStep, maxStep, atol, rtol);
      case ADAMS_BASHFORTH -> new AdamsBashforthIntegrator(ADAMS_STEPS, minStep, maxStep, atol, rtol);
      case ADAMS_MOULTON -> new AdamsMoultonIntegrator(ADAMS_STEPS, minStep, maxStep, atol, rtol);
      case DOPRI5 -> throw new IllegalArgumentException("dopri5 is built in, not a Hipparchus integrator");
    };
  }
}
