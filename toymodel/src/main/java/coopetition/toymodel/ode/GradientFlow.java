package coopetition.toymodel.ode;

import coopetition.toymodel.SolverSettings;
import coopetition.toymodel.Trajectory;
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
 * run when Loss falls below the threshold, and optional events locate the transitions exactly.
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
    Transitions tr = new Transitions();
    tr.observeStart(t0, dyn.model().l1Null(), dyn.model().l2Null());
    if (t0.loss < threshold || tEnd <= 0) {
      // Already below the threshold (or nothing to integrate): the state is held from t = 0.
      rec.fill(y0);
      return rec.build(settings.detectEvents() ? tr.events() : null,
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
      tr.attach(integrator, dyn, scratch);
    }
    ODEStateAndDerivative end = integrator.integrate(new Ode(dyn), new ODEState(0.0, y0), tEnd);
    rec.fill(end.getPrimaryState());
    return rec.build(settings.detectEvents() ? tr.events() : null, stop[0],
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

  /** Records the first times of the three transitions of the coopetition story. */
  private static final class Transitions {
    private double mech1 = Double.NaN;
    private double mech2 = Double.NaN;
    private double cross = Double.NaN;
    private double l1Level;
    private double l2Level;

    void observeStart(Terms t, double l1Null, double l2Null) {
      l1Level = 0.1 * l1Null;
      l2Level = 0.1 * l2Null;
      if (t.l1 < l1Level) {
        mech1 = 0;
      }
      if (t.l2 < l2Level) {
        mech2 = 0;
      }
      if (t.l1 < l1Level && t.l2 < t.l1) {
        cross = 0;
      }
    }

    void attach(ODEIntegrator integrator, Dynamics dyn, Terms scratch) {
      integrator.addEventDetector(new LevelDetector(dyn, scratch, t -> t.l1 - l1Level, (s, d, increasing) -> {
        if (!increasing && Double.isNaN(mech1)) {
          mech1 = s.getTime();
        }
        return Action.CONTINUE;
      }));
      integrator.addEventDetector(new LevelDetector(dyn, scratch, t -> t.l2 - l2Level, (s, d, increasing) -> {
        if (!increasing && Double.isNaN(mech2)) {
          mech2 = s.getTime();
        }
        return Action.CONTINUE;
      }));
      // L2 dropping below L1 (L1 - L2 turning positive) counts only once mechanism 1 was learned.
      integrator.addEventDetector(new LevelDetector(dyn, scratch, t -> t.l1 - t.l2, (s, d, increasing) -> {
        if (increasing && Double.isNaN(cross) && !Double.isNaN(mech1) && s.getTime() >= mech1) {
          cross = s.getTime();
        }
        return Action.CONTINUE;
      }));
    }

    Trajectory.Events events() {
      return new Trajectory.Events(mech1, mech2, cross);
    }
  }
}
