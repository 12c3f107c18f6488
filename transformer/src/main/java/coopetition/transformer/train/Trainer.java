package coopetition.transformer.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import coopetition.common.UserInputException;
import coopetition.transformer.config.Compute;
import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.data.Rng;
import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.data.SequenceSampler;
import coopetition.transformer.data.Splits;
import coopetition.transformer.eval.EvalSet;
import coopetition.transformer.eval.EvalSuite;
import coopetition.transformer.eval.Metrics;
import coopetition.transformer.model.Hooks;
import coopetition.transformer.model.HostArrays;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.model.Parameters;
import coopetition.transformer.model.Transformer;
import coopetition.transformer.runtime.Torch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

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

  private final TrainConfig config;
  private final FeatureBank bank;
  private final Splits splits;
  private final SequenceSampler sampler;
  private final ModelConfig modelConfig;
  private final Device device;
  private final NDManager manager;
  private final Parameters params;
  private final Transformer model;
  private final Adam adam;
  /** The kernels the steps use ({@code auto} decided). */
  private final Compute.Kernels kernels;
  /** The run's training-time interventions ({@code forbid}); {@link Hooks#NONE}, the plain pass, without any. */
  private final Hooks hooks;
  private final NDArray lossSum;
  /** The second worker's thread when {@code workers = 2} (spins between hand-offs), else null. */
  private final ExecutorService helper;
  /** How a step's gradient is computed (kernels, workers). */
  private final StepGradient gradient;
  private NDArray lastLoss;
  private long lossCount;
  private long step;

  public Trainer(TrainConfig config, FeatureBank bank, Splits splits) {
    this(config, bank, splits, null);
  }

  /**
   * With a chosen Adam kernel (benchmarks compare them; LIBTORCH_OPS and JAVA_LOOP give the same numbers), or
   * null for the one the kernels setting implies.
   */
  public Trainer(TrainConfig config, FeatureBank bank, Splits splits, Adam.Kernel adamKernel) {
    this.config = config;
    this.bank = bank;
    this.splits = splits;
    int trainClasses = splits.numTrainClasses();
    this.sampler = SequenceSampler.forTraining(bank, splits, config.sampler(trainClasses));
    this.modelConfig = config.model(bank.dim(), trainClasses);
    int threads = config.compute().threads();
    Torch.configure(threads);
    this.device = Torch.device(config.compute().device());
    UserInputException.requireField(config.compute().workers() == 1 || !device.isGpu(), "workers",
        "2 splits a batch over two CPU cores and does not help on a GPU; use workers=1 there");
    this.manager = Torch.newManager(device);
    this.params = Parameters.initialise(modelConfig, config.seeds().init(), manager, DataType.FLOAT32);
    this.model = new Transformer(params);
    this.hooks = ForbiddenAttention.of(config.forbid(), modelConfig, config.data().contextLength() + 1);
    this.kernels = StepGradient.choose(config.compute().kernels(), modelConfig, device, hooks);
    this.adam = new Adam(config.adam(), params, adamKernel != null ? adamKernel
        : kernels == Compute.Kernels.JAVA ? Adam.Kernel.JAVA_FUSED : Adam.Kernel.JAVA_LOOP);
    FrozenDonor donor = FrozenDonor.of(config);
    if (donor != null) {
      adam.freeze(donor.apply(params));
    }
    this.lossSum = manager.zeros(new Shape(), DataType.FLOAT32);
    // libtorch's grad mode and OpenMP's thread count are per thread; DJL set them only on the thread
    // that loaded it (grad mode off, `threads` intra-op threads).
    Runnable setUp = () -> {
      JniUtils.setGradMode(false);
      if (threads > 0) {
        JniUtils.setNumThreads(threads);
      }
    };
    this.helper = config.compute().workers() == 2 ? new SecondWorker("train-worker-2", setUp) : null;
    this.gradient = new StepGradient(model, hooks, helper, kernels);
  }

  public TrainConfig config() {
    return config;
  }

  /** The kernels this run's steps use: the setting, with {@code auto} decided (never AUTO). */
  public Compute.Kernels kernels() {
    return kernels;
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

  /** The hooks every forward pass of this run uses ({@link Hooks#NONE} unless {@code forbid} is set). */
  Hooks hooks() {
    return hooks;
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
      StepGradient.Result g = gradient.backward(sm, b, params);
      NDArray loss = g.loss();
      adam.step(params, helper, g.gradients());
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

  /**
   * Means of every metric of every evaluator, keyed {@code <prefix>_<metric>}. With {@code workers = 2} the
   * second worker's thread evaluates every other evaluator: the same numbers (each evaluator's forward
   * passes are the same ops either way) in about half the wall time.
   */
  public Map<String, Double> evaluate(EvalSuite suite) {
    return evaluate(suite, helper != null);
  }

  Map<String, Double> evaluate(EvalSuite suite, boolean onBothWorkers) {
    List<EvalSet> sets = suite.sets();
    List<Future<Metrics.PerSequence>> theirs = new ArrayList<>();
    if (onBothWorkers) {
      for (int i = 1; i < sets.size(); i += 2) {
        SequenceBatch data = sets.get(i).data();
        theirs.add(helper.submit(() -> perSequence(data)));
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < sets.size(); i++) {
      EvalSet set = sets.get(i);
      Metrics.PerSequence m = onBothWorkers && i % 2 == 1 ? await(theirs.get(i / 2)) : perSequence(set.data());
      for (String name : Metrics.NAMES) {
        out.put(set.evaluator().columnPrefix() + "_" + name, m.mean(name));
      }
    }
    return out;
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the second worker evaluated", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the second worker's evaluation failed: " + e.getCause(), e.getCause());
    }
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
      NDArray x = HostArrays.floats(sm, b.examples(), new Shape(b.size(), b.pairs(), b.dim()));
      NDArray y = HostArrays.ints(sm, b.labels(), new Shape(b.size(), b.pairs())).toType(DataType.INT64, false);
      return queryLogits(x, y).toFloatArray();
    }
  }

  /** Query logits with the run's training-time interventions, if any. */
  private NDArray queryLogits(NDArray x, NDArray y) {
    return model.forward(x, y, Transformer.Readout.QUERY, false, hooks).logits();
  }

  /** The counters a checkpoint needs, given the schedule positions kept by the loop. */
  Checkpoint.State state(long evalsDone, long ckptsDone, boolean lossExploded) {
    double sum = lossCount == 0 ? 0 : lossSum.getFloat();
    return new Checkpoint.State(step, seqs(), adam.steps(), evalsDone, ckptsDone, sum, lossCount, lossExploded);
  }

  /** Restores step and running loss from a checkpoint (parameters and Adam state via {@link Checkpoint#restoreInto}). */
  void restoreCounters(Checkpoint.State s) {
    step = s.step();
    lossCount = s.lossCount();
    lossSum.muli(0).addi((float) s.lossSum());
  }

  @Override
  public void close() {
    if (helper != null) {
      helper.shutdownNow();
    }
    gradient.close();
    manager.close();
  }
}
