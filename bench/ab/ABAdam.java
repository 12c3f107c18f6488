import coopetition.transformer.config.*;
import coopetition.transformer.model.*;
import coopetition.transformer.train.*;
import coopetition.transformer.runtime.Torch;
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import java.lang.management.*;
import java.util.*;

/** Interleaved A/B/C of Adam's per-step CPU time alone (quick model, K 6144): libtorch ops, the Java loop (same bits), the one-pass Java kernel (kernels=java). */
public class ABAdam {
  public static void main(String[] a) throws Exception {
    int rounds = Integer.parseInt(a[0]); int n = Integer.parseInt(a[1]);
    Torch.configure(1);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    TrainConfig c = Presets.byName("quick").config();
    ModelConfig mc = c.model(64, 6144 - 0);
    try (NDManager m = Torch.newManager(ai.djl.Device.cpu())) {
      Adam.Kernel[] ks = {Adam.Kernel.LIBTORCH_OPS, Adam.Kernel.JAVA_LOOP, Adam.Kernel.JAVA_FUSED};
      Parameters[] ps = new Parameters[ks.length]; Adam[] ad = new Adam[ks.length];
      for (int k = 0; k < ks.length; k++) {
        ps[k] = Parameters.initialise(mc, 1, m, DataType.FLOAT32);
        try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getEngine("PyTorch").newGradientCollector()) {
          NDArray loss = null; for (NDArray w : ps[k].arrays().values()) { NDArray t = w.sum(); loss = loss == null ? t : loss.add(t); }
          gc.backward(loss);
        }
        ad[k] = new Adam(c.adam(), ps[k], ks[k]);
        for (int i = 0; i < 20; i++) ad[k].step(ps[k]);
      }
      System.out.println("params " + ps[0].count());
      double[][] ms = new double[ks.length][rounds];
      for (int r = 0; r < rounds; r++) for (int k = 0; k < ks.length; k++) {
        
        long c0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) ad[k].step(ps[k]);
        ms[k][r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / n;
      }
      for (int k = 0; k < ks.length; k++) { double[] v = ms[k].clone(); Arrays.sort(v);
        System.out.printf("Adam %-13s%s cpu ms/step median %.3f q1 %.3f min %.3f max %.3f%n", ks[k], "", v[rounds / 2], v[rounds / 4], v[0], v[rounds - 1]); }
    }
  }
}
