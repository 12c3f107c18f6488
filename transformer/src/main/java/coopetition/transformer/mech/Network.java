package coopetition.transformer.mech;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import coopetition.transformer.model.Hooks;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.model.Parameters;
import coopetition.transformer.model.Transformer;
import coopetition.transformer.runtime.Torch;
import coopetition.transformer.train.Weights;

/**
 * One network of a run's shape whose parameters are overwritten by each checkpoint (or graft) it is
 * given, so sweeping a history allocates the model once.
 */
public final class Network implements AutoCloseable {
  private final NDManager manager;
  private final Parameters params;
  private final Transformer model;
  /** What every forward pass of this network starts from: the run's training-time interventions, if any. */
  private final Hooks hooks;

  public Network(ModelConfig config) {
    this(config, Hooks.NONE);
  }

  /** A network whose passes all use {@code hooks} (e.g. a run trained with {@code forbid}). */
  public Network(ModelConfig config, Hooks hooks) {
    this.hooks = hooks;
    this.manager = Torch.newManager(ai.djl.Device.cpu());
    this.params = Parameters.initialise(config, 0, manager, DataType.FLOAT32);
    this.model = new Transformer(params);
  }

  /**
   * Loads {@code weights}; one clear line naming {@code what} if they come from a model of another shape.
   *
   * @return this network, now computing with those weights
   */
  public Network load(Weights weights, String what) {
    weights.checkCompatible(params, what);
    weights.restoreInto(params);
    return this;
  }

  public Transformer model() {
    return model;
  }

  /** The hooks every pass of this network uses ({@link Hooks#NONE} for a plain run). */
  public Hooks hooks() {
    return hooks;
  }

  public Parameters parameters() {
    return params;
  }

  /** A fresh sub-manager for one forward pass; close it to free the pass's arrays. */
  public NDManager scope() {
    return manager.newSubManager();
  }

  @Override
  public void close() {
    manager.close();
  }
}
