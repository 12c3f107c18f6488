import coopetition.transformer.config.*;
import coopetition.transformer.data.*;
import coopetition.transformer.eval.*;
import coopetition.transformer.train.*;
import java.lang.management.*;

/** CPU time of one eval (5 evaluators x 1000 seqs) against 50k training sequences at batch 32, 1 thread. */
public class EvalCost {
  public static void main(String[] a) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    TrainConfig c = Presets.byName("quick").config();
    FeatureBank bank = TrainingRun.openBank(c);
    Splits s = TrainingRun.splits(c, bank);
    EvalSuite suite = EvalSuite.build(bank, EvalSuite.Spec.paperDefaults(s, c.evalSeqs(), c.data().contextLength(), c.data().burstiness()).withSeed(c.seeds().eval()));
    try (Trainer t = new Trainer(c, bank, s)) {
      for (int i = 0; i < 20; i++) t.trainStep();
      t.evaluate(suite);
      for (int r = 0; r < 3; r++) {
        long c0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < 200; i++) t.trainStep();
        t.lastLoss();
        long c1 = mx.getCurrentThreadCpuTime();
        t.evaluate(suite);
        long c2 = mx.getCurrentThreadCpuTime();
        long f0 = c2;
        for (EvalSet set : suite.sets()) t.queryLogits(set.data().slice(0, 1000));
        long f1 = mx.getCurrentThreadCpuTime();
        double stepMs = (c1 - c0) / 1e6 / 200;
        double evalMs = (c2 - c1) / 1e6;
        double trainMs = stepMs * 50000 / 32;
        System.out.printf("step %.2f ms (50k seqs: %.0f ms); eval %.0f ms of which forward+copy %.0f ms: eval share %.1f%%%n",
            stepMs, trainMs, evalMs, (f1 - f0) / 1e6, 100 * evalMs / (evalMs + trainMs));
      }
    }
  }
}
