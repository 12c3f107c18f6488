package coopetition.transformer.model;

import ai.djl.ndarray.NDArray;

/**
 * Arithmetic with a constant on arrays that autograd may tape. DJL's {@code x.mul(0.5)} wraps the
 * constant in a tensor over a Java-owned direct buffer and closes that tensor right after the op, but
 * autograd keeps it for the backward pass (d(x·c)/dx = c, likewise for div and pow), so backward could
 * read the buffer after the garbage collector had freed it: a wrong gradient now and then, more often
 * under GC pressure or CPU load. That was why two identical runs sometimes differed (~1e-3 by step 30 of
 * TrainingRunTest under load; reproduced by collecting garbage in a loop beside a run). Here the
 * constant is created in x's manager, which a training step closes only after backward; the numbers are
 * the same as DJL's own path (the same 0-dim tensor type).
 */
public final class Scalars {
  private Scalars() {}

  public static NDArray times(NDArray x, Number c) {
    return x.mul(x.getManager().create(c));
  }

  public static NDArray dividedBy(NDArray x, Number c) {
    return x.div(x.getManager().create(c));
  }

  public static NDArray power(NDArray x, Number c) {
    return x.pow(x.getManager().create(c));
  }
}
