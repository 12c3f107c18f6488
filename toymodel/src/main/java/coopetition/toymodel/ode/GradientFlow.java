package coopetition.toymodel.ode;

import coopetition.toymodel.SolverSettings;
import coopetition.toymodel.Trajectory;
import coopetition.toymodel.landmark.Landmark;
import coopetition.toymodel.landmark.LandmarkDetector;
import coopetition.toymodel.model.Terms;
import org.hipparchus.ode.ODEIntegrator;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.events.Action;
import org.hipparchus.ode.sampling.ODEStateInterpolator;
import org.hipparchus.ode.sampling.ODEStepHandler;

/**
 * Gradient flow d(theta)/dt = -grad Loss on a Hipparchus adaptive integrator. Output times are read
 * off the integrator's dense output (no step-size restriction from the sampling); an event stops the
 * run when Loss falls below the threshold, and optional events locate the landmarks exactly.
 */
public final class GradientFlow {
  private GradientFlow() {}

  public static Trajectory solve(Dynamics dyn, SolverSettings settings, double[] outputTimes) {
    if (settings.integrator() == coopetition.toymodel.Integrator.DOPRI5) {
      return Dopri5.solve(dyn, settings, outputTimes);
    }
    long start = System.nanoTime();
    Recorder rec = new Recorder(dyn, outputTimes, settings.recordProgress());
    double tEnd = outputTimes[outputTimes.length - 1];
    double[] y0 = dyn.initialState();
    Terms t0 = new Terms();
    dyn.evaluate(y0, t0);
    double threshold = settings.lossThreshold();
    LandmarkDetector marks = new LandmarkDetector(dyn.model().l1Null(), dyn.model().l2Null());
    marks.start(0, t0.l1, t0.l2);
    if (t0.loss < threshold || tEnd <= 0) {
      // Already below the threshold (or nothing to integrate): the state is held from t = 0.
      rec.fill(y0);
      return rec.build(settings.detectEvents() ? marks.landmarks() : null,
          t0.loss < threshold ? 0.0 : Double.NaN, 1, System.nanoTime() - start);
    }

    ODEIntegrator integrator = Integrators.create(settings.integrator(), tEnd, settings.rtol(), settings.atol());
    integrator.addStepHandler(new Sampler(rec));
    Terms scratch = new Terms();
    double[] stop = {Double.NaN};
    if (threshold > 0) {
      integrator.addEventDetector(new LevelDetector(dyn, scratch, t -> t.loss - threshold,
          (s, d, increasing) -> {
            stop[0] = s.getTime();
            return Action.STOP;
          }));
    }
    if (settings.detectEvents()) {
      attach(integrator, dyn, scratch, marks);
    }
    ODEStateAndDerivative end = integrator.integrate(new Ode(dyn), new ODEState(0.0, y0), tEnd);
    rec.fill(end.getPrimaryState());
    return rec.build(settings.detectEvents() ? marks.landmarks() : null, stop[0],
        integrator.getEvaluations(), System.nanoTime() - start);
  }

  /** The right-hand side; Hipparchus wants a fresh array per call. */
  private static final class Ode implements OrdinaryDifferentialEquation {
    private final Dynamics dyn;
    private final Terms terms = new Terms();

    Ode(Dynamics dyn) {
      this.dyn = dyn;
    }

    @Override
    public int getDimension() {
      return dyn.dimension();
    }

    @Override
    public double[] computeDerivatives(double t, double[] y) {
      double[] yDot = new double[y.length];
      dyn.evaluate(y, terms);
      dyn.flow(y, terms, yDot);
      return yDot;
    }
  }

  /** Samples the dense output at the requested times as each step is accepted. */
  private static final class Sampler implements ODEStepHandler {
    private final Recorder rec;

    Sampler(Recorder rec) {
      this.rec = rec;
    }

    @Override
    public void handleStep(ODEStateInterpolator interpolator) {
      ODEStateAndDerivative current = interpolator.getCurrentState();
      double tStep = current.getTime();
      while (!rec.done() && rec.nextTime() <= tStep) {
        double tk = rec.nextTime();
        double[] y = tk == tStep ? current.getPrimaryState()
            : interpolator.getInterpolatedState(tk).getPrimaryState();
        rec.record(y);
      }
    }
  }

  /**
   * One Hipparchus event detector per landmark, on the landmark's own level function; falling
   * crossings go to the detector, which applies the landmarks' order.
   */
  private static void attach(ODEIntegrator integrator, Dynamics dyn, Terms scratch, LandmarkDetector marks) {
    Terms at = new Terms();
    for (Landmark m : Landmark.values()) {
      integrator.addEventDetector(new LevelDetector(dyn, scratch, t -> marks.level(m, t.l1, t.l2),
          (s, d, increasing) -> {
            if (!increasing) {
              dyn.evaluate(s.getPrimaryState(), at);
              marks.crossed(m, s.getTime(), at.l1, at.l2);
            }
            return Action.CONTINUE;
          }));
    }
  }
}
