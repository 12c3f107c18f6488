package coopetition.transformer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.data.Rng;
import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.data.SequenceSampler;
import coopetition.transformer.data.Splits;
import coopetition.transformer.eval.EvalSet;
import coopetition.transformer.eval.EvalSuite;
import coopetition.transformer.eval.Metrics;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.model.Parameters;
import coopetition.transformer.model.Transformer;
import coopetition.transformer.runtime.Torch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One training run in memory: data, model, optimiser and counters. The loop itself lives in
 * {@link TrainingRun}; this class offers the pieces (a step, an eval, a checkpoint capture) so tests
 * and benchmarks can drive them directly.
 *
 * <p>Batch {@code k} is {@code sampler.sample(mix(train_seed, k), batch)}, a pure function of the
 * step, which is what makes resume exact.
 */
public final class Trainer implements AutoCloseable {
  /** Eval batch size; the authors use 1000 and the model is deterministic, so it only affects memory. */
  static final int EVAL_CHUNK = 1000;

  private final RunConfig config;
  private final FeatureBank bank;
  private final Splits splits;
  private final SequenceSampler sampler;
  private final ModelConfig modelConfig;
  private final Device device;
  private final NDManager manager;
  private final Parameters params;
  private final Transformer model;
  private final Adam adam;
  private final NDArray lossSum;
  private NDArray lastLoss;
  private long lossCount;
  private long step;

  public Trainer(RunConfig config, FeatureBank bank, Splits splits) {
    this.config = config;
    this.bank = bank;
    this.splits = splits;
    int trainClasses = splits.numTrainClasses();
    this.sampler = SequenceSampler.forTraining(bank, splits, config.samplerConfig(trainClasses));
    this.modelConfig = config.model(bank, trainClasses);
    Torch.configure(config.threads());
    this.device = Torch.device(config.device());
    this.manager = Torch.newManager(device);
    this.params = Parameters.initialise(modelConfig, config.seeds().init(), manager, DataType.FLOAT32);
    this.model = new Transformer(params);
    this.adam = new Adam(config.adam(), params);
    this.lossSum = manager.zeros(new Shape(), DataType.FLOAT32);
  }

  public RunConfig config() {
    return config;
  }

  public ModelConfig modelConfig() {
    return modelConfig;
  }

  public Transformer model() {
    return model;
  }

  public Parameters parameters() {
    return params;
  }

  public Adam adam() {
    return adam;
  }

  public Device device() {
    return device;
  }

  public FeatureBank bank() {
    return bank;
  }

  public Splits splits() {
    return splits;
  }

  public long step() {
    return step;
  }

  public long seqs() {
    return step * config.schedule().batch();
  }

  /** The training batch of step {@code k}. */
  public SequenceBatch batch(long k) {
    return sampler.sample(Rng.mix(config.seeds().train(), k), config.schedule().batch());
  }

  /** One Adam step on batch {@link #batch(long) batch(step)}; the loss stays on the device. */
  public void trainStep() {
    trainStep(batch(step));
  }

  public void trainStep(SequenceBatch b) {
    try (NDManager sm = manager.newSubManager()) {
      NDArray x = sm.create(b.examples(), new Shape(b.size(), b.pairs(), b.dim()));
      NDArray y = sm.create(b.labels(), new Shape(b.size(), b.pairs())).toType(DataType.INT64, false);
      NDArray target = y.get(":, -1:");
      NDArray loss;
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray logits = model.queryLogits(x, y);
        loss = logits.logSoftmax(-1).gather(target, 1).neg().mean();
        // The weight-decay penalty's gradient is added by Adam, not taped here.
        gc.backward(loss);
      }
      adam.step(params);
      lossSum.addi(loss);
      if (lastLoss != null) {
        lastLoss.close();
      }
      lastLoss = loss.duplicate();
      lastLoss.attach(manager);
    }
    lossCount++;
    step++;
  }

  /** Loss of the most recent step (one device read), NaN before the first. */
  public double lastLoss() {
    return lastLoss == null ? Double.NaN : lastLoss.getFloat();
  }

  /** Mean training loss since the last call (one device read), then resets the running sum. */
  public double takeMeanLoss() {
    if (lossCount == 0) {
      return Double.NaN;
    }
    double mean = lossSum.getFloat() / lossCount;
    lossSum.muli(0);
    lossCount = 0;
    return mean;
  }

  /** Means of every metric of every evaluator, keyed {@code <prefix>_<metric>}. */
  public Map<String, Double> evaluate(EvalSuite suite) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (EvalSet set : suite.sets()) {
      Metrics.PerSequence m = perSequence(set.data());
      for (String name : Metrics.NAMES) {
        out.put(set.evaluator().columnPrefix() + "_" + name, m.mean(name));
      }
    }
    return out;
  }

  /** Query logits of a batch in eval chunks, as [n · C] floats. */
  public Metrics.PerSequence perSequence(SequenceBatch data) {
    List<Metrics.PerSequence> parts = new ArrayList<>();
    for (int first = 0; first < data.size(); first += EVAL_CHUNK) {
      int count = Math.min(EVAL_CHUNK, data.size() - first);
      float[] logits = queryLogits(data.slice(first, count));
      parts.add(Metrics.compute(logits, modelConfig.numClasses(), data, first, count));
    }
    return Metrics.PerSequence.concat(parts);
  }

  public float[] queryLogits(SequenceBatch b) {
    try (NDManager sm = manager.newSubManager()) {
      NDArray x = sm.create(b.examples(), new Shape(b.size(), b.pairs(), b.dim()));
      NDArray y = sm.create(b.labels(), new Shape(b.size(), b.pairs())).toType(DataType.INT64, false);
      return model.queryLogits(x, y).toFloatArray();
    }
  }

  /** The counters a checkpoint needs, given the schedule positions kept by the loop. */
  Checkpoint.State state(long evalsDone, long ckptsDone) {
    double sum = lossCount == 0 ? 0 : lossSum.getFloat();
    return new Checkpoint.State(step, seqs(), adam.steps(), evalsDone, ckptsDone, sum, lossCount);
  }

  /** Restores step and running loss from a checkpoint (parameters and Adam state via {@link Checkpoint#restoreInto}). */
  void restoreCounters(Checkpoint.State s) {
    step = s.step();
    lossCount = s.lossCount();
    lossSum.muli(0).addi((float) s.lossSum());
  }

  @Override
  public void close() {
    manager.close();
  }
}
