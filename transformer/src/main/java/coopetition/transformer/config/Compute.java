package coopetition.transformer.config;

import static coopetition.common.UserInputException.requireField;

import coopetition.transformer.runtime.Torch;

/**
 * Where and how a run computes. None of it changes the result on CPU except {@code workers}, whose two
 * half-batches round differently from one whole batch (docs/transformer-training.md, "Workers").
 *
 * @param threads libtorch intra-op threads (0 = library default)
 * @param workers 1, or 2: each batch's halves on two Java threads
 * @param device cpu, gpu or auto
 */
public record Compute(int threads, int workers, Torch.DeviceChoice device) {

  public Compute {
    requireField(threads >= 0, "threads", "must be >= 0 (0 = library default), got " + threads);
    // Two slices' gradients sum to the same bits in either order; three or more would not (determinism).
    requireField(workers == 1 || workers == 2, "workers", "must be 1 or 2, got " + workers);
    requireField(device != null, "device", "must be cpu, gpu or auto");
  }

  public Compute withThreads(int n) {
    return new Compute(n, workers, device);
  }

  public Compute withWorkers(int n) {
    return new Compute(threads, n, device);
  }

  public Compute withDevice(Torch.DeviceChoice d) {
    return new Compute(threads, workers, d);
  }
}
