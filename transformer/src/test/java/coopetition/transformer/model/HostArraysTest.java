package coopetition.transformer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import coopetition.transformer.runtime.Torch;
import org.junit.jupiter.api.Test;

/** Arrays made through libtorch's allocation hold exactly what DJL's own copy holds. */
class HostArraysTest {

  @Test
  void floatsAndIntsEqualDjlsCopies() {
    float[] f = {1.5f, -0f, Float.MIN_VALUE, 3e38f, Float.NaN, 7f};
    int[] i = {3, -1, Integer.MAX_VALUE, 0, 9, 12};
    try (NDManager m = Torch.newManager(ai.djl.Device.cpu())) {
      Shape s = new Shape(2, 3);
      NDArray a = HostArrays.floats(m, f, s);
      NDArray b = HostArrays.ints(m, i, s);
      assertEquals(s, a.getShape());
      assertEquals(DataType.FLOAT32, a.getDataType());
      assertEquals(DataType.INT32, b.getDataType());
      assertArrayEquals(m.create(f, s).toFloatArray(), a.toFloatArray());
      assertArrayEquals(i, b.toIntArray());
      // a shape smaller than the data takes its first elements; a larger one is an error
      assertArrayEquals(new float[] {1.5f, -0f}, HostArrays.floats(m, f, new Shape(2)).toFloatArray());
      assertThrows(RuntimeException.class, () -> HostArrays.floats(m, f, new Shape(7)));
    }
  }

  @Test
  void longsHoldTheIntsWidened() {
    int[] i = {3, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 9, 12};
    try (NDManager m = Torch.newManager(ai.djl.Device.cpu())) {
      NDArray a = HostArrays.longs(m, i, new Shape(3, 2));
      assertEquals(DataType.INT64, a.getDataType());
      assertEquals(new Shape(3, 2), a.getShape());
      assertArrayEquals(new long[] {3, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 9, 12}, a.toLongArray());
      assertArrayEquals(m.create(i, new Shape(3, 2)).toType(DataType.INT64, false).toLongArray(), a.toLongArray());
      assertThrows(RuntimeException.class, () -> HostArrays.longs(m, i, new Shape(7)));
    }
  }
}
