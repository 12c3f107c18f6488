import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Supplier;

/**
 * The unembedding's three matrix products (logits, dW, dh) at the quick model's shape (d 64, K 6144) in every
 * layout of the logits, one libtorch thread, CPU time of the calling thread, best of five 0.3 s rounds. On this
 * machine's MKL, {@code G^T · h} on row-major logits ran at about 140 GF/s against 195-216 for the rest, which is
 * why the hand-written step keeps its logits class-major (docs/PERFORMANCE.md, twelfth session). Args: BATCH.
 */
public class GemmForms {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  public static void main(String[] a) {
    Engine.getInstance();
    JniUtils.setNumThreads(1);
    int b = Integer.parseInt(a[0]);
    int d = 64;
    int k = 6144;
    double flop = 2.0 * b * d * k;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray h = m.randomNormal(new Shape(b, d));
      NDArray w = m.randomNormal(new Shape(k, d)); // the unembedding as stored
      NDArray g = m.randomNormal(new Shape(b, k)); // a gradient, row-major [b, K]
      NDArray gt = m.randomNormal(new Shape(k, b)); // a gradient, class-major [K, b]
      System.out.println("row-major logits [b, K]");
      time("  logits = linear(h, W)", flop, () -> Linear.linear(h, w).head());
      time("  dW = G^T . h", flop, () -> g.transpose().matMul(h));
      time("  dh = G . W", flop, () -> g.matMul(w));
      System.out.println("class-major logits [K, b]");
      time("  logits = W . h^T", flop, () -> w.matMul(h.transpose()));
      time("  dW = G . h", flop, () -> gt.matMul(h));
      time("  dh = G^T . W", flop, () -> gt.transpose().matMul(w));
    }
  }

  private static void time(String name, double flop, Supplier<NDArray> f) {
    for (int i = 0; i < 50; i++) {
      f.get().close();
    }
    double best = Double.POSITIVE_INFINITY;
    for (int r = 0; r < 5; r++) {
      int n = 0;
      long start = CPU.getCurrentThreadCpuTime();
      while (CPU.getCurrentThreadCpuTime() - start < 3e8) {
        f.get().close();
        n++;
      }
      best = Math.min(best, (CPU.getCurrentThreadCpuTime() - start) / (double) n);
    }
    System.out.printf("%-26s %8.1f us  %6.1f GF/s%n", name, best / 1e3, flop / best);
  }
}
