package coopetition.transformer.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Inputs for the loss kernels' tests: random targets, and floats in a direct native-order buffer as libtorch's. */
final class LossFixtures {
  private LossFixtures() {}

  /** n targets drawn from 0..k-1. */
  static int[] targets(Random r, int n, int k) {
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = r.nextInt(k);
    }
    return t;
  }

  /** x in a direct buffer of native byte order. */
  static ByteBuffer floats(float[] x) {
    ByteBuffer b = ByteBuffer.allocateDirect(4 * x.length).order(ByteOrder.nativeOrder());
    for (int i = 0; i < x.length; i++) {
      b.putFloat(4 * i, x[i]);
    }
    return b;
  }
}
