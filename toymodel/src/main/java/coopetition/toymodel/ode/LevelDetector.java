package coopetition.toymodel.ode;

import coopetition.toymodel.model.Terms;
import java.util.function.ToDoubleFunction;
import org.hipparchus.analysis.UnivariateFunction;
import org.hipparchus.analysis.solvers.BracketedUnivariateSolver;
import org.hipparchus.analysis.solvers.BracketingNthOrderBrentSolver;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.events.AbstractODEDetector;
import org.hipparchus.ode.events.AdaptableInterval;
import org.hipparchus.ode.events.ODEEventHandler;

/**
 * A Hipparchus event detector on a function of the losses, g = level(Terms): zero crossings mark
 * transitions such as "L1 falls below a tenth of its null value".
 */
final class LevelDetector extends AbstractODEDetector<LevelDetector> {
  /** Events are located to within this many time units (a GD step is 1). */
  static final double TIME_ACCURACY = 1e-6;
  /**
   * g is checked at least this often inside a step. The transitions are monotone over hundreds of
   * time units, so checking at step ends (steps are at most Integrators.MAX_STEP long) suffices, and
   * each extra check costs a full-state interpolation.
   */
  static final double MAX_CHECK = Integrators.MAX_STEP;

  private final Dynamics dynamics;
  private final Terms terms;
  private final ToDoubleFunction<Terms> level;

  LevelDetector(Dynamics dynamics, Terms terms, ToDoubleFunction<Terms> level, ODEEventHandler handler) {
    this(AdaptableInterval.of(MAX_CHECK), DEFAULT_MAX_ITER, new BracketingNthOrderBrentSolver(0, TIME_ACCURACY, 0, 5),
        handler, dynamics, terms, level);
  }

  private LevelDetector(AdaptableInterval maxCheck, int maxIter,
      BracketedUnivariateSolver<UnivariateFunction> solver, ODEEventHandler handler,
      Dynamics dynamics, Terms terms, ToDoubleFunction<Terms> level) {
    super(maxCheck, maxIter, solver, handler);
    this.dynamics = dynamics;
    this.terms = terms;
    this.level = level;
  }

  @Override
  public double g(ODEStateAndDerivative state) {
    dynamics.evaluate(state.getPrimaryState(), terms);
    return level.applyAsDouble(terms);
  }

  @Override
  protected LevelDetector create(AdaptableInterval maxCheck, int maxIter,
      BracketedUnivariateSolver<UnivariateFunction> solver, ODEEventHandler handler) {
    return new LevelDetector(maxCheck, maxIter, solver, handler, dynamics, terms, level);
  }
}
