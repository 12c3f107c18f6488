import coopetition.transformer.config.*;
import coopetition.transformer.data.*;
import coopetition.transformer.train.*;
import java.lang.management.*;
import java.util.*;

/**
 * CPU ms per quick-preset training step at batch 32/128/512 (calling thread, 1 libtorch thread), one line per
 * round and batch. Uses only the API every commit since the Renovation has (no Adam kernel choice), so
 * commits.sh can run it against two builds.
 */
public class StepAt {
  public static void main(String[] a) throws Exception {
    int rounds = Integer.parseInt(a[0]);
    String label = a.length > 1 ? a[1] : "";
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int b : new int[] {32, 128, 512}) {
      TrainConfig p = Presets.byName("quick").config();
      TrainConfig c = p.withSchedule(p.schedule().withTrainSeqs(100_000_000).withBatch(b));
      c = c.withCompute(c.compute().withThreads(1).withWorkers(1));
      FeatureBank bank = TrainingRun.openBank(c);
      Splits s = TrainingRun.splits(c, bank);
      try (Trainer t = new Trainer(c, bank, s)) {
        for (int i = 0; i < 10; i++) t.trainStep();
        t.lastLoss();
        int n = Math.max(6, 1920 / b);
        for (int r = 0; r < rounds; r++) {
          long c0 = mx.getCurrentThreadCpuTime();
          for (int i = 0; i < n; i++) t.trainStep();
          t.lastLoss();
          System.out.printf(Locale.ROOT, "%s b%d %.3f%n", label, b, (mx.getCurrentThreadCpuTime() - c0) / 1e6 / n);
        }
      }
    }
  }
}
