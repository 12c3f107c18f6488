package coopetition.transformer.config;

import static coopetition.common.UserInputException.requireField;

import coopetition.transformer.runtime.Torch;

/**
 * Where and how a run computes. None of it changes the result on CPU except {@code workers}, whose two
 * half-batches round differently from one whole batch (docs/transformer-training.md, "Workers"), and
 * {@code attentionCore}, whose Java kernel rounds differently from libtorch's ops.
 *
 * @param threads libtorch intra-op threads (0 = library default)
 * @param workers 1, or 2: each batch's halves on two Java threads
 * @param device cpu, gpu or auto
 * @param attentionCore who computes a training step's attention core (scores, softmax, pattern × values)
 */
public record Compute(int threads, int workers, Torch.DeviceChoice device, AttentionCore attentionCore) {

  /** The training step's attention core: libtorch's ops (autograd) or {@code AttentionKernel} (CPU only). */
  public enum AttentionCore {
    LIBTORCH,
    JAVA
  }

  public Compute {
    requireField(threads >= 0, "threads", "must be >= 0 (0 = library default), got " + threads);
    // Two slices' gradients sum to the same bits in either order; three or more would not (determinism).
    requireField(workers == 1 || workers == 2, "workers", "must be 1 or 2, got " + workers);
    requireField(device != null, "device", "must be cpu, gpu or auto");
    requireField(attentionCore != null, "attention_core", "must be libtorch or java");
  }

  public Compute withThreads(int n) {
    return new Compute(n, workers, device, attentionCore);
  }

  public Compute withWorkers(int n) {
    return new Compute(threads, n, device, attentionCore);
  }

  public Compute withDevice(Torch.DeviceChoice d) {
    return new Compute(threads, workers, d, attentionCore);
  }

  public Compute withAttentionCore(AttentionCore c) {
    return new Compute(threads, workers, device, c);
  }
}
