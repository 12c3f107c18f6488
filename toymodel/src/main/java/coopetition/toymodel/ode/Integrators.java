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

  private Integrators() {}

  static ODEIntegrator create(Integrator kind, double span, double rtol, double atol) {
    double minStep = 1e-10;
    double maxStep = Math.max(span, 1.0);
    return switch (kind) {
      case DP853 -> new DormandPrince853Integrator(minStep, maxStep, atol, rtol);
      case DP54 -> new DormandPrince54Integrator(minStep, maxStep, atol, rtol);
      case HH54 -> new HighamHall54Integrator(minStep, maxStep, atol, rtol);
      case GBS -> new GraggBulirschStoerIntegrator(minStep, maxStep, atol, rtol);
      case ADAMS_BASHFORTH -> new AdamsBashforthIntegrator(ADAMS_STEPS, minStep, maxStep, atol, rtol);
      case ADAMS_MOULTON -> new AdamsMoultonIntegrator(ADAMS_STEPS, minStep, maxStep, atol, rtol);
    };
  }
}
