import coopetition.transformer.config.*;
import coopetition.transformer.data.*;
import coopetition.transformer.train.*;
import java.lang.management.*;
import java.nio.file.*;

/**
 * Step by step over one run: CPU ms per step and minor page faults per step of the calling thread (from
 * /proc/thread-self/stat), averaged over rounds of 10 steps, printed as ms/faults. Shows the phases in which
 * steps write into freshly mapped memory. Args: BATCH ROUNDS [JAVA|LIBTORCH].
 */
public class Trace {
  static long minflt() throws Exception {
    String s = Files.readString(Path.of("/proc/thread-self/stat"));
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[7]);
  }
  public static void main(String[] a) throws Exception {
    int b = Integer.parseInt(a[0]);
    int rounds = Integer.parseInt(a[1]);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    TrainConfig p = Presets.byName("quick").config();
    TrainConfig c = p.withSchedule(p.schedule().withTrainSeqs(100_000_000).withBatch(b));
    c = c.withCompute(c.compute().withThreads(1).withWorkers(1).withKernels(Compute.Kernels.valueOf(a.length > 2 ? a[2] : "JAVA")));
    FeatureBank bank = TrainingRun.openBank(c);
    Splits s = TrainingRun.splits(c, bank);
    try (Trainer t = new Trainer(c, bank, s)) {
      for (int i = 0; i < 10; i++) t.trainStep();
      StringBuilder out = new StringBuilder();
      for (int r = 0; r < rounds; r++) {
        long c0 = mx.getCurrentThreadCpuTime(); long f0 = minflt();
        for (int i = 0; i < 10; i++) t.trainStep();
        t.lastLoss();
        out.append(String.format("%.1f/%d ", (mx.getCurrentThreadCpuTime() - c0) / 1e7, (minflt() - f0) / 10)); // ms and faults a step
      }
      System.out.println(out);
    }
  }
}
