import coopetition.transformer.config.*;
import coopetition.transformer.data.*;
import coopetition.transformer.train.*;
import java.lang.management.*;
import java.util.*;

/**
 * CPU ms per training step (calling thread, 1 libtorch thread) at batches 32/128/512: median and lower quartile.
 * {@code -Dkernels=JAVA} for the Java attention core (and its one-pass Adam), {@code -Dkernel=...} for another Adam.
 */
public class Step {
  public static void main(String[] a) throws Exception {
    int rounds = Integer.parseInt(a[0]);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    StringBuilder out = new StringBuilder(a.length > 1 ? a[1] : "");
    for (int b : new int[] {32, 128, 512}) {
      TrainConfig p = Presets.byName("quick").config();
      TrainConfig c = p.withSchedule(p.schedule().withTrainSeqs(100_000_000).withBatch(b));
      c = c.withCompute(c.compute().withThreads(1).withWorkers(1)
          .withKernels(Compute.Kernels.valueOf(System.getProperty("kernels", "LIBTORCH"))));
      FeatureBank bank = TrainingRun.openBank(c);
      Splits s = TrainingRun.splits(c, bank);
      try (Trainer t = new Trainer(c, bank, s, Adam.Kernel.valueOf(System.getProperty("kernel",
          c.compute().kernels() == Compute.Kernels.JAVA ? "JAVA_FUSED" : "JAVA_LOOP")))) {
        for (int i = 0; i < 10; i++) t.trainStep();
        t.lastLoss();
        double[] ms = new double[rounds];
        int n = Math.max(6, 1920 / b);
        for (int r = 0; r < rounds; r++) {
          long c0 = mx.getCurrentThreadCpuTime();
          for (int i = 0; i < n; i++) t.trainStep();
          t.lastLoss();
          ms[r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / n;
        }
        Arrays.sort(ms);
        out.append(String.format("  b%d median %.2f q1 %.2f", b, ms[rounds / 2], ms[rounds / 4]));
      }
    }
    System.out.println(out);
  }
}
