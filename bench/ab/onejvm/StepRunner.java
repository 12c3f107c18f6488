import coopetition.transformer.config.Compute;
import coopetition.transformer.config.Presets;
import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.data.Splits;
import coopetition.transformer.train.Trainer;
import coopetition.transformer.train.TrainingRun;

/** accept(n): n quick-preset training steps (kernels=java, 1 thread, 1 worker) at batch -Donejvm.batch. */
public class StepRunner implements java.util.function.IntConsumer {
  private final Trainer trainer;

  public StepRunner() {
    int b = Integer.getInteger("onejvm.batch", 128);
    TrainConfig p = Presets.byName("quick").config();
    TrainConfig c = p.withSchedule(p.schedule().withTrainSeqs(100_000_000).withBatch(b));
    c = c.withCompute(c.compute().withThreads(1).withWorkers(1).withKernels(Compute.Kernels.JAVA));
    FeatureBank bank = TrainingRun.openBank(c);
    Splits s = TrainingRun.splits(c, bank);
    trainer = new Trainer(c, bank, s);
  }

  @Override
  public void accept(int n) {
    for (int i = 0; i < n; i++) {
      trainer.trainStep();
    }
    trainer.lastLoss();
  }

  /** The last loss: the two builds should agree where the change keeps the bits. */
  @Override
  public String toString() {
    return Double.toString(trainer.lastLoss());
  }
}
