package coopetition.transformer.config;

import static coopetition.common.UserInputException.requireField;

import coopetition.transformer.runtime.Torch;

/**
 * Where and how a run computes. None of it changes the result on CPU except {@code workers}, whose two
 * half-batches round differently from one whole batch (docs/transformer-training.md, "Workers"), and
 * {@code kernels=java} (and {@code auto} where it picks java), whose Java kernels round differently from
 * libtorch's ops.
 *
 * @param threads libtorch intra-op threads (0 = library default)
 * @param workers 1, or 2: each batch's halves on two Java threads
 * @param device cpu, gpu or auto
 * @param kernels who computes a training step's attention core (scores, softmax, pattern × values) and Adam's
 *     update: libtorch's ops (bit for bit; Adam already runs as a Java loop giving the ops' exact numbers), or
 *     Java kernels with their own rounding (AttentionKernel, one-pass Adam with Java's square root), or auto:
 *     java where the Java kernels can serve the run, else libtorch (the trainer decides and config.json records
 *     {@code kernels_used})
 */
public record Compute(int threads, int workers, Torch.DeviceChoice device, Kernels kernels) {

  /** The training step's kernels: libtorch's numbers, or the faster Java kernels (CPU only). */
  public enum Kernels {
    LIBTORCH,
    JAVA,
    /**
     * JAVA on the CPU for a model the Java kernels serve (no {@code forbid}, no rotary positions, an even head
     * width), else LIBTORCH: the quick presets' choice, so that one preset runs fast on a CPU and still runs on
     * a GPU or with a training-time intervention.
     */
    AUTO
  }

  public Compute {
    requireField(threads >= 0, "threads", "must be >= 0 (0 = library default), got " + threads);
    // Two slices' gradients sum to the same bits in either order; three or more would not (determinism).
    requireField(workers == 1 || workers == 2, "workers", "must be 1 or 2, got " + workers);
    requireField(device != null, "device", "must be cpu, gpu or auto");
    requireField(kernels != null, "kernels", "must be libtorch, java or auto");
  }

  public Compute withThreads(int n) {
    return new Compute(n, workers, device, kernels);
  }

  public Compute withWorkers(int n) {
    return new Compute(threads, n, device, kernels);
  }

  public Compute withDevice(Torch.DeviceChoice d) {
    return new Compute(threads, workers, d, kernels);
  }

  public Compute withKernels(Kernels k) {
    return new Compute(threads, workers, device, k);
  }
}
