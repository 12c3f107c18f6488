import coopetition.transformer.config.*;
import coopetition.transformer.data.*;
import coopetition.transformer.train.*;
import java.lang.management.*;
import java.util.*;

/**
 * kernels=libtorch against kernels=java (Java attention core and one-pass Adam) in one process: two trainers of the quick preset (same
 * seeds) alternate rounds of steps; CPU ms per step of the calling thread (1 libtorch thread, workers 1),
 * median and lower quartile, and the losses of both after the same steps. Args: ROUNDS [BATCHES].
 */
public class CoreAB {
  public static void main(String[] a) throws Exception {
    int rounds = Integer.parseInt(a[0]);
    String batches = a.length > 1 ? a[1] : "32,128,512";
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (String bs : batches.split(",")) {
      int b = Integer.parseInt(bs);
      TrainConfig p = Presets.byName("quick").config();
      TrainConfig c = p.withSchedule(p.schedule().withTrainSeqs(100_000_000).withBatch(b));
      c = c.withCompute(c.compute().withThreads(1).withWorkers(1));
      FeatureBank bank = TrainingRun.openBank(c);
      Splits s = TrainingRun.splits(c, bank);
      TrainConfig cj = c.withCompute(c.compute().withKernels(Compute.Kernels.JAVA));
      try (Trainer lt = new Trainer(c, bank, s); Trainer jt = new Trainer(cj, bank, s)) {
        Trainer[] t = {lt, jt};
        for (Trainer x : t) {
          for (int i = 0; i < 10; i++) x.trainStep();
          x.lastLoss();
        }
        double[][] ms = new double[2][rounds];
        int n = Math.max(6, 1920 / b);
        for (int r = 0; r < rounds; r++) {
          for (int k = 0; k < 2; k++) {
            int which = (r % 2 == 0) ? k : 1 - k;
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) t[which].trainStep();
            t[which].lastLoss();
            ms[which][r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / n;
          }
        }
        for (double[] m : ms) Arrays.sort(m);
        System.out.printf("batch %d: kernels=libtorch median %.2f q1 %.2f ms, kernels=java median %.2f q1 %.2f ms, speed-up %.2fx (q1 %.2fx);"
            + " loss after %d steps %.5f / %.5f%n", b, ms[0][rounds / 2], ms[0][rounds / 4], ms[1][rounds / 2], ms[1][rounds / 4],
            ms[0][rounds / 2] / ms[1][rounds / 2], ms[0][rounds / 4] / ms[1][rounds / 4], lt.step(), lt.lastLoss(), jt.lastLoss());
      }
    }
  }
}
