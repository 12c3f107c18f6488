package coopetition.transformer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Host arrays filled from Java arrays through libtorch's own allocation. DJL's {@code create(float[], shape)}
 * copies into a fresh direct buffer that only the garbage collector frees; a training step makes several
 * (its batch and, with {@code kernels=java}, each attention core's output and input gradient), so freed
 * memory piled up between collections and every step wrote into freshly mapped pages (about 950 page faults
 * a step at batch 512 under {@code perf}). An empty libtorch array written through its storage is freed with
 * the step's manager and its memory reused. Same values, so the same runs bit for bit. On a GPU, DJL's
 * own copy.
 */
public final class HostArrays {
  private HostArrays() {}

  /** A float array of {@code shape} in {@code manager} holding the first shape.size() values of {@code data}. */
  public static NDArray floats(NDManager manager, float[] data, Shape shape) {
    if (manager.getDevice().isGpu()) {
      return manager.create(java.nio.FloatBuffer.wrap(data, 0, Math.toIntExact(shape.size())), shape);
    }
    NDArray a = manager.create(shape, DataType.FLOAT32);
    bytes(a).asFloatBuffer().put(data, 0, Math.toIntExact(shape.size()));
    return a;
  }

  /** An int32 array of {@code shape} in {@code manager} holding the first shape.size() values of {@code data}. */
  public static NDArray ints(NDManager manager, int[] data, Shape shape) {
    if (manager.getDevice().isGpu()) {
      return manager.create(java.nio.IntBuffer.wrap(data, 0, Math.toIntExact(shape.size())), shape);
    }
    NDArray a = manager.create(shape, DataType.INT32);
    bytes(a).asIntBuffer().put(data, 0, Math.toIntExact(shape.size()));
    return a;
  }

  /**
   * An int64 array of {@code shape} in {@code manager} holding the first shape.size() values of {@code data}: labels as
   * the embedding reads them, without a conversion op from int32 each step.
   */
  public static NDArray longs(NDManager manager, int[] data, Shape shape) {
    int n = Math.toIntExact(shape.size());
    if (manager.getDevice().isGpu()) {
      long[] wide = new long[n];
      for (int i = 0; i < n; i++) {
        wide[i] = data[i];
      }
      return manager.create(java.nio.LongBuffer.wrap(wide), shape);
    }
    NDArray a = manager.create(shape, DataType.INT64);
    java.nio.LongBuffer out = bytes(a).asLongBuffer();
    for (int i = 0; i < n; i++) {
      out.put(i, data[i]);
    }
    return a;
  }

  /** A zero-copy view of a host array's storage in native byte order. */
  static ByteBuffer bytes(NDArray a) {
    return ((PtNDArray) a).toByteBuffer(true).order(ByteOrder.nativeOrder());
  }
}
