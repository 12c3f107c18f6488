package coopetition.toymodel.ode;

import coopetition.toymodel.Clamp;
import coopetition.toymodel.SolverSettings;
import coopetition.toymodel.ToyVector;
import coopetition.toymodel.VectorTrace;
import coopetition.toymodel.model.Terms;
import coopetition.toymodel.model.ToyModel;

/**
 * A state representation of the model: full vectors (a | b | c | d concatenated) or the exact
 * reduced coordinates (u_x, v_x) with x = u_x x(0) + v_x x*. Both share the closed forms; only the
 * moments, the update and the progress measures differ. Clamped vectors never move.
 */
public abstract sealed class Dynamics permits FullDynamics, ReducedDynamics {
  protected final ToyModel model;
  /** Per vector: true when clamped (zero gradient). */
  protected final boolean[] frozen = new boolean[4];
  protected final Clamp.Mode[] clampMode = new Clamp.Mode[4];

  protected Dynamics(ToyModel model, SolverSettings settings) {
    this.model = model;
    for (ToyVector v : ToyVector.values()) {
      Clamp c = settings.clampOf(v);
      if (c != null) {
        frozen[v.ordinal()] = true;
        clampMode[v.ordinal()] = c.mode();
      }
    }
  }

  public static Dynamics of(ToyModel model, SolverSettings settings) {
    return settings.solver().isReduced() ? new ReducedDynamics(model, settings) : new FullDynamics(model, settings);
  }

  public ToyModel model() {
    return model;
  }

  public abstract int dimension();

  /** The state at t = 0, with target-clamped vectors already at their targets. */
  public abstract double[] initialState();

  /** Fills |x|^2 and x*.x of {@code y} into {@code t}. */
  protected abstract void moments(double[] y, Terms t);

  /** Moments then closed forms: losses and gradient coefficients of state {@code y}. */
  public final void evaluate(double[] y, Terms t) {
    moments(y, t);
    model.evaluate(t);
  }

  /** dy/dt = -grad Loss, given {@code t} evaluated at {@code y}. */
  public abstract void flow(double[] y, Terms t, double[] yDot);

  /** One GD update in place: theta <- theta - eta grad Loss, given {@code t} evaluated at {@code y}. */
  public abstract void descend(double[] y, Terms t, double eta);

  /** Writes norm, gradient norm, cosine distance and distance to target at output index k. */
  public abstract void progress(double[] y, Terms t, int k, VectorTrace[] out);
}
