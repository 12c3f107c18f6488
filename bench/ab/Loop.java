import coopetition.transformer.config.*;
import coopetition.transformer.data.*;
import coopetition.transformer.train.*;

/**
 * Quick-preset training steps at one batch size and nothing else (1 libtorch thread, 1 worker), for a
 * sampling profiler: {@code perf record -D 12000 -F 1000 java -cp CP bench/ab/Loop.java 512 2000}, the delay
 * skipping start-up and JIT warm-up; then {@code perf report --sort dso,sym | python3 bench/ab/perf_categories.py}.
 * An optional third argument picks the kernels ({@code java} or {@code libtorch}, the default).
 */
public class Loop {
  public static void main(String[] a) throws Exception {
    int b = Integer.parseInt(a[0]);
    int steps = Integer.parseInt(a[1]);
    TrainConfig p = Presets.byName("quick").config();
    TrainConfig c = p.withSchedule(p.schedule().withTrainSeqs(100_000_000).withBatch(b));
    c = c.withCompute(c.compute().withThreads(1).withWorkers(1));
    if (a.length > 2) {
      c = c.withCompute(c.compute().withKernels(Compute.Kernels.valueOf(a[2].toUpperCase())));
    }
    FeatureBank bank = TrainingRun.openBank(c);
    Splits s = TrainingRun.splits(c, bank);
    try (Trainer t = new Trainer(c, bank, s)) {
      for (int i = 0; i < steps; i++) {
        t.trainStep();
      }
      t.lastLoss();
    }
  }
}
