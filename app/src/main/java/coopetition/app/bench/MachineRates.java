package coopetition.app.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * What this machine can do, measured in the benchmark's own run: libtorch's matmul rate on the
 * unembedding's shape and a STREAM-like triad bandwidth. They are the denominators of the floor
 * ({@link coopetition.transformer.model.StepCost#floorSeconds}).
 *
 * <p>Both are timed by the calling thread's CPU time when {@code cpuClock} is set (one libtorch thread
 * runs its ops on the calling thread, and CPU time hardly moves when other processes share the
 * cores), else by the wall clock (several intra-op threads).
 */
final class MachineRates {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private MachineRates() {}

  /** Nanoseconds on the chosen clock. */
  static long now(boolean cpuClock) {
    return cpuClock ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  /** GFLOP/s of libtorch's matmul [b x d]·[d x k] under the current thread setting, over about a second. */
  static double gemmGflops(int b, int d, int k, boolean cpuClock) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(b, d));
      NDArray w = m.randomNormal(new Shape(d, k));
      for (int i = 0; i < 20; i++) {
        x.matMul(w).close();
      }
      int reps = 0;
      long start = now(cpuClock);
      while (now(cpuClock) - start < 1e9) {
        x.matMul(w).close();
        reps++;
      }
      return 2.0 * b * d * k * reps / (now(cpuClock) - start);
    }
  }

  /**
   * GB/s of the triad a = b + s·c over float arrays of {@code floats} elements each, on one thread,
   * counting 12 bytes an element (two reads, one write) as STREAM does. Sized like the optimiser's
   * arrays, it sees the same caches Adam sees.
   */
  static double triadGigabytesPerSecond(int floats, boolean cpuClock) {
    float[] a = new float[floats];
    float[] b = new float[floats];
    float[] c = new float[floats];
    java.util.Arrays.fill(b, 1f);
    java.util.Arrays.fill(c, 2f);
    for (int i = 0; i < 5; i++) {
      triad(a, b, c, 0.5f);
    }
    int reps = 0;
    long start = now(cpuClock);
    while (now(cpuClock) - start < 5e8) {
      triad(a, b, c, 0.5f + reps % 2);
      reps++;
    }
    long ns = now(cpuClock) - start;
    if (a[floats / 2] == 42) { // keeps the loop from being optimised away
      System.out.print("");
    }
    return 12.0 * floats * reps / ns;
  }

  private static void triad(float[] a, float[] b, float[] c, float s) {
    for (int i = 0; i < a.length; i++) {
      a[i] = b[i] + s * c[i];
    }
  }
}
