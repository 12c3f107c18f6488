package coopetition.transformer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import coopetition.common.UserInputException;
import coopetition.transformer.config.Compute;
import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.model.Hooks;
import coopetition.transformer.model.HostArrays;
import coopetition.transformer.model.KernelPass;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.model.Parameters;
import coopetition.transformer.model.PositionalEncoding;
import coopetition.transformer.model.Scalars;
import coopetition.transformer.model.StepLeaves;
import coopetition.transformer.model.TapeFreeStep;
import coopetition.transformer.model.Transformer;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A training step's forward and backward: the mean query cross-entropy of a batch and its gradient, with
 * libtorch's kernels or the Java ones ({@code kernels}), on one worker or on two ({@code helper}). The trainer
 * owns the optimiser and the counters; this owns how the gradient is computed.
 */
final class StepGradient implements AutoCloseable {
  private final Transformer model;
  /** The run's training-time interventions; {@link Hooks#NONE} without any. */
  private final Hooks hooks;
  /** The second worker's thread, or null for one worker. */
  private final ExecutorService helper;
  /** With the Java kernels, one pass per worker (index 1: the helper's); else null. */
  private final KernelPass[] kernelPasses;
  /** With the Java kernels, the parameters as a step reads them (made at the first step); else null. */
  private StepLeaves stepLeaves;
  /** With the Java kernels on one worker and a model it serves, the hand-written backward (made at the first step). */
  private TapeFreeStep tapeFree;

  /**
   * The gradient of one step: its loss (on the device) and, with the Java kernels, the gradients by parameter name
   * (arrays in the step's manager); null where they are on the parameters' {@code .grad}.
   */
  record Result(NDArray loss, Map<String, NDArray> gradients) {}

  StepGradient(Transformer model, Hooks hooks, ExecutorService helper, Compute.Kernels kernels) {
    this.model = model;
    this.hooks = hooks;
    this.helper = helper;
    this.kernelPasses = kernels == Compute.Kernels.JAVA ? new KernelPass[] {new KernelPass(), new KernelPass()} : null;
  }

  /**
   * The kernels a run's steps use: {@code asked}, with {@code auto} decided (java where the Java kernels can serve
   * the run, else libtorch). An explicit java they cannot serve is one line naming {@code kernels}.
   */
  static Compute.Kernels choose(Compute.Kernels asked, ModelConfig model, Device device, Hooks hooks) {
    String javaCannot = whyJavaKernelsCannotServe(model, device, hooks);
    UserInputException.requireField(asked != Compute.Kernels.JAVA || javaCannot == null, "kernels",
        javaCannot + "; use libtorch (or auto, which picks it here)");
    if (asked == Compute.Kernels.AUTO) {
      return javaCannot == null ? Compute.Kernels.JAVA : Compute.Kernels.LIBTORCH;
    }
    return asked;
  }

  /** Why {@code kernels=java} cannot serve this run, or null when it can. */
  private static String whyJavaKernelsCannotServe(ModelConfig model, Device device, Hooks hooks) {
    if (device.isGpu()) {
      return "java runs on the CPU, not on " + device;
    }
    if (hooks != Hooks.NONE) {
      return "java cannot apply forbid (a hook on the attention pattern)";
    }
    if (model.positional() == PositionalEncoding.ROTARY) {
      return "java does not rotate queries and keys (positional=rotary)";
    }
    if (model.headDim() % 2 != 0) {
      return "java's attention core needs an even head width d_model/heads, got " + model.headDim();
    }
    return null;
  }

  /**
   * Forward and backward of batch {@code b} in {@code sm}. With libtorch's kernels the gradients land on the
   * parameters. With the Java kernels they are returned: from the hand-written backward ({@link TapeFreeStep}) on
   * one worker where it serves the model, else from fresh per-step leaves of the parameters ({@link StepLeaves})
   * instead of being zeroed and added into the stored ones.
   */
  Result backward(NDManager sm, SequenceBatch b, Parameters params) {
    if (kernelPasses == null) {
      return new Result(helper == null ? backwardWholeBatch(sm, b) : backwardInHalves(sm, b), null);
    }
    if (helper == null && TapeFreeStep.serves(model.config())) {
      if (tapeFree == null) {
        tapeFree = new TapeFreeStep(model.config(), params.manager());
      }
      TapeFreeStep.Result r = tapeFree.step(params, sm, b.examples(), b.labels(), b.size(), b.pairs(), b.dim(), b.size());
      return new Result(sm.create(r.loss()), r.gradients());
    }
    if (stepLeaves == null) {
      stepLeaves = new StepLeaves(params.manager());
    }
    stepLeaves.begin(params, sm);
    for (KernelPass p : kernelPasses) {
      p.useLeaves(stepLeaves);
    }
    try {
      NDArray loss = helper == null ? backwardWholeBatch(sm, b) : backwardInHalves(sm, b);
      return new Result(loss, stepLeaves.gradients());
    } finally {
      if (kernelPasses != null) {
        for (KernelPass p : kernelPasses) {
          p.useLeaves(null);
        }
      }
    }
  }

  /** Cross-entropy at the query of every sequence of {@code b}, [B, 1], taped if grad mode is on. */
  private NDArray queryCrossEntropy(NDManager sm, SequenceBatch b) {
    NDArray x = HostArrays.floats(sm, b.examples(), new Shape(b.size(), b.pairs(), b.dim()));
    NDArray y = HostArrays.longs(sm, b.labels(), new Shape(b.size(), b.pairs()));
    NDArray target = y.get(":, -1:");
    NDArray logits = model.forward(x, y, Transformer.Readout.QUERY, false, hooks).logits();
    return logits.logSoftmax(-1).gather(target, 1).neg();
  }

  /**
   * With {@code kernels=java}: the slice's share of the batch-mean loss, its attention cores and its loss in
   * {@code pass}'s Java kernels, and the backward from there.
   */
  private NDArray javaKernelsBackward(NDManager sm, SequenceBatch b, int batch, KernelPass pass) {
    NDArray x = HostArrays.floats(sm, b.examples(), new Shape(b.size(), b.pairs(), b.dim()));
    NDArray y = HostArrays.longs(sm, b.labels(), new Shape(b.size(), b.pairs())); // int64: what the embedding reads
    int[] targets = new int[b.size()];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = b.labels()[i * b.pairs() + b.pairs() - 1];
    }
    NDArray loss = model.queryLoss(x, y, targets, batch, pass);
    pass.backward();
    return loss;
  }

  /** Forward and backward of the mean query cross-entropy on this thread. */
  private NDArray backwardWholeBatch(NDManager sm, SequenceBatch b) {
    if (kernelPasses != null) {
      return backwardSlice(sm, b, b.size(), kernelPasses[0]);
    }
    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray loss = queryCrossEntropy(sm, b).mean();
      // The weight-decay penalty's gradient is added by Adam, not taped here.
      gc.backward(loss);
      return loss;
    }
  }

  /**
   * The same gradient from two halves of the batch computed at once on two threads, each with its own
   * single-threaded libtorch ops: on a 2-core CPU this beats one step with two intra-op threads, whose
   * fork/join per op costs more than the small ops gain. libtorch sums the two halves into each .grad
   * under a lock; a sum of two terms is the same in either order, so runs stay deterministic.
   */
  private NDArray backwardInHalves(NDManager sm, SequenceBatch b) {
    int first = b.size() / 2;
    SequenceBatch h1 = b.slice(0, first);
    SequenceBatch h2 = b.slice(first, b.size() - first);
    NDManager m2 = sm.newSubManager();
    KernelPass p1 = kernelPasses == null ? null : kernelPasses[0];
    KernelPass p2 = kernelPasses == null ? null : kernelPasses[1];
    Future<NDArray> second = helper.submit(() -> backwardSlice(m2, h2, b.size(), p2));
    NDArray loss1 = backwardSlice(sm, h1, b.size(), p1);
    NDArray loss2;
    try {
      loss2 = second.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the second worker ran", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the second training worker failed: " + e.getCause(), e.getCause());
    }
    return loss1.add(loss2);
  }

  /**
   * Backward of this slice's share of the batch-mean loss, {@code Σ_slice CE / batch}. DJL allows one
   * GradientCollector at a time, so this sets libtorch's (thread-local) grad mode directly.
   */
  private NDArray backwardSlice(NDManager sm, SequenceBatch slice, int batch, KernelPass pass) {
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(true);
    try {
      if (pass != null) {
        return javaKernelsBackward(sm, slice, batch, pass);
      }
      NDArray loss = Scalars.dividedBy(queryCrossEntropy(sm, slice).sum(), batch);
      JniUtils.backward((PtNDArray) loss, (PtNDArray) loss.onesLike(), false, false);
      return loss;
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /** Frees the Java kernels' buffers. */
  @Override
  public void close() {
    if (stepLeaves != null) {
      stepLeaves.close();
    }
    if (tapeFree != null) {
      tapeFree.close();
    }
    if (kernelPasses != null) {
      for (KernelPass p : kernelPasses) {
        p.close();
      }
    }
  }
}
