package coopetition.transformer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import coopetition.common.UserInputException;
import coopetition.transformer.config.Settings;
import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.data.Splits;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** workers=2 (the batch in two halves on two threads) against the single-threaded step. */
class WorkersTest {

  static Trainer trainer(Settings s) {
    TrainConfig c = TrainConfig.from(s);
    FeatureBank bank = TrainingRun.openBank(c);
    Splits splits = TrainingRun.splits(c, bank);
    return new Trainer(c, bank, splits);
  }

  @Test
  void twoHalvesGiveTheSameUpdateAsTheWholeBatchUpToRounding() {
    Settings one = TrainingRunTest.tiny().with("batch", "9"); // odd: halves of 4 and 5
    try (Trainer a = trainer(one); Trainer b = trainer(one.with("workers", "2"))) {
      for (int k = 0; k < 5; k++) {
        a.trainStep();
        b.trainStep();
        assertEquals(a.lastLoss(), b.lastLoss(), 1e-5, "loss at step " + k);
      }
      // Adam divides by sqrt(v): rounding-level gradient differences stay far below one lr-sized step (3e-3).
      // Not bit-identical (the halves' sums round differently), which shows the split really ran.
      assertTrue(sameUpToRounding(a, b, 1e-4), "workers=2 gave bit-identical parameters: was the batch split at all?");
    }
  }

  /**
   * Asserts every parameter of {@code a} and {@code b} within {@code tolerance}; returns whether some bits
   * differ (so the caller can check that the other computation really ran).
   */
  static boolean sameUpToRounding(Trainer a, Trainer b, double tolerance) {
    boolean someBitsDiffer = false;
    for (Map.Entry<String, ai.djl.ndarray.NDArray> e : a.parameters().arrays().entrySet()) {
      float[] x = e.getValue().toFloatArray();
      float[] y = b.parameters().get(e.getKey()).toFloatArray();
      double diff = 0;
      for (int i = 0; i < x.length; i++) {
        diff = Math.max(diff, Math.abs(x[i] - y[i]));
        someBitsDiffer |= x[i] != y[i];
      }
      assertEquals(0, diff, tolerance, e.getKey());
    }
    return someBitsDiffer;
  }

  @Test
  void twoWorkersAreDeterministic(@TempDir Path tmp) throws Exception {
    Settings s = TrainingRunTest.tiny().with("workers", "2");
    String first = TrainingRunTest.runTo(s, tmp.resolve("a"), TrainingRun.Start.fresh(), () -> false);
    String second = TrainingRunTest.runTo(s, tmp.resolve("b"), TrainingRun.Start.fresh(), () -> false);
    assertEquals(first, second);
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "workers={0}, kernels={1}")
  @org.junit.jupiter.params.provider.CsvSource({"1, libtorch", "2, libtorch", "1, java", "2, java"})
  void stepsLeaveNothingBehindInTheParametersManager(String workers, String kernels) {
    try (Trainer t = trainer(TrainingRunTest.tiny().with("workers", workers).with("kernels", kernels))) {
      t.trainStep();
      int before = ((ai.djl.ndarray.BaseNDManager) t.parameters().manager()).getManagedArrays().size();
      for (int k = 0; k < 20; k++) {
        t.trainStep();
      }
      int after = ((ai.djl.ndarray.BaseNDManager) t.parameters().manager()).getManagedArrays().size();
      assertEquals(before, after, "arrays leaked into the parameters' manager over 20 steps");
    }
  }

  @Test
  void theSecondWorkerEvaluatesHalfTheEvaluatorsWithTheSameNumbers() {
    Settings s = TrainingRunTest.tiny().with("workers", "2");
    TrainConfig c = TrainConfig.from(s);
    FeatureBank bank = TrainingRun.openBank(c);
    Splits splits = TrainingRun.splits(c, bank);
    coopetition.transformer.eval.EvalSuite suite = coopetition.transformer.eval.EvalSuite.build(bank,
        coopetition.transformer.eval.EvalSuite.Spec.paperDefaults(splits, 40, c.data().contextLength(),
            c.data().burstiness()));
    try (Trainer t = new Trainer(c, bank, splits)) {
      for (int k = 0; k < 10; k++) {
        t.trainStep();
      }
      Map<String, Double> both = t.evaluate(suite);
      assertEquals(t.evaluate(suite, false), both, "bit for bit, evaluator by evaluator");
      assertEquals(coopetition.transformer.eval.Metrics.NAMES.size() * suite.sets().size(), both.size());
    }
  }

  @Test
  void onlyOneOrTwoWorkers() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> TrainConfig.from(TrainingRunTest.tiny().with("workers", "3")));
    // The field and the problem are separate now, so the app can print "--set workers: ...".
    assertEquals("workers", e.field().orElseThrow());
    assertEquals("must be 1 or 2, got 3", e.problem());
  }
}
