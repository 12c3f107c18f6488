import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU ms of one layer's attention core (scores, softmax, pattern x values; forward and backward) at the quick
 * model's shapes (8 heads, 5 tokens, head width 8), as the model computes it (batched matmul) and as
 * broadcast multiply-and-sum, the obvious alternative to libtorch's naive small-matrix kernel. Best of 6
 * rounds, 1 libtorch thread.
 */
public class AttentionCore {
  public static void main(String[] a) {
    coopetition.transformer.runtime.Torch.configure(1);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int h = 8;
    int t = 5;
    int hd = 8;
    try (NDManager base = NDManager.newBaseManager("PyTorch")) {
      for (int b : new int[] {32, 128, 512}) {
        NDArray q = base.randomNormal(new Shape(b, h, t, hd));
        NDArray k = base.randomNormal(new Shape(b, h, t, hd));
        NDArray v = base.randomNormal(new Shape(b, h, t, hd));
        for (NDArray x : new NDArray[] {q, k, v}) {
          x.setRequiresGradient(true);
        }
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
        for (int round = 0; round < 6; round++) {
          for (int mode = 0; mode < 2; mode++) {
            int n = 40_000 / b + 20;
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
              try (NDManager m = base.newSubManager();
                  GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray z = mode == 0
                    ? q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1).matMul(v)
                    : q.expandDims(3).mul(k.expandDims(2)).sum(new int[] {-1}).softmax(-1).expandDims(-1)
                        .mul(v.expandDims(2)).sum(new int[] {-2});
                NDArray loss = z.sum();
                z.attach(m);
                loss.attach(m);
                gc.backward(loss);
              }
            }
            best[mode] = Math.min(best[mode], (mx.getCurrentThreadCpuTime() - c0) / 1e6 / n);
          }
        }
        System.out.printf("batch %d: batched matmul %.3f ms, multiply-and-sum %.3f ms (one layer, forward + backward)%n",
            b, best[0], best[1]);
      }
    }
  }
}
