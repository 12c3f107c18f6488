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
  /** |x*|^2 per vector. */
  protected final double[] targetNorm2 = new double[4];

  protected Dynamics(ToyModel model, SolverSettings settings) {
    this.model = model;
    for (ToyVector v : ToyVector.values()) {
      targetNorm2[v.ordinal()] = model.gram11(v);
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

  /** Losses only (no gradient coefficients) of state {@code y}. */
  public final void losses(double[] y, Terms t) {
    moments(y, t);
    model.losses(t);
  }

  /**
   * Moments of {@code len} states stored column-wise ({@code ys[i][j]} = component i of state j)
   * into {@code sq[v][j]} and {@code p[v][j]}.
   */
  protected abstract void momentsBlock(double[][] ys, int len, double[][] sq, double[][] p);

  /**
   * Per vector v, the Gram matrix {@code g[v][a][b]} of the basis vectors' v-blocks and their
   * products with the target, {@code pt[v][a]}: with these, |x|^2 and x*.x of any combination
   * sum_a c_a basis[a] cost O(m^2) instead of O(n). Only the full system implements it.
   */
  protected void blockGram(double[][] basis, int m, double[][][] g, double[][] pt) {
    throw new UnsupportedOperationException("only the full-dimensional system needs block Gram matrices");
  }

  /** dy/dt = -grad Loss, given {@code t} evaluated at {@code y}. */
  public abstract void flow(double[] y, Terms t, double[] yDot);

  /** One GD update in place: theta <- theta - eta grad Loss, given {@code t} evaluated at {@code y}. */
  public abstract void descend(double[] y, Terms t, double eta);

  /**
   * Progress measures at output k from the moments and gradient coefficients in {@code t} alone:
   * |x| = sqrt(sq), |grad| = sqrt(s^2 sq - 2 s r p + r^2 |x*|^2), 1 - cos^2 = 1 - p^2 / (sq |x*|^2),
   * |x - x*| = sqrt(sq - 2 p + |x*|^2) (clipped at 0 against rounding).
   */
  public final void progressFromMoments(Terms t, int k, VectorTrace[] out) {
    for (int v = 0; v < 4; v++) {
      double sq = t.sq[v];
      double p = t.p[v];
      double g11 = targetNorm2[v];
      double s = frozen[v] ? 0 : t.s[v];
      double r = frozen[v] ? 0 : t.r[v];
      double g2 = s * s * sq - 2 * s * r * p + r * r * g11;
      double d2 = sq - 2 * p + g11;
      out[v].norm()[k] = Math.sqrt(sq);
      out[v].gradNorm()[k] = Math.sqrt(Math.max(0, g2));
      out[v].cosineDistance()[k] = sq == 0 ? 1.0 : 1.0 - p * p / (sq * g11);
      out[v].distance()[k] = Math.sqrt(Math.max(0, d2));
    }
  }

  /** Writes norm, gradient norm, cosine distance and distance to target at output index k. */
  public abstract void progress(double[] y, Terms t, int k, VectorTrace[] out);
}
