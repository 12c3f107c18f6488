package coopetition.transformer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import coopetition.transformer.config.Settings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** kernels=java (the Java attention kernel) against libtorch's core in training, and where it refuses. */
class KernelsTest {

  @ParameterizedTest(name = "workers={0}, mlp_ratio={1}")
  @CsvSource({"1, 0", "2, 0", "1, 2"})
  void theJavaCoreTrainsLikeLibtorchsUpToRounding(String workers, String mlp) {
    Settings base = TrainingRunTest.tiny().with("batch", "9").with("workers", workers).with("mlp_ratio", mlp);
    try (Trainer a = WorkersTest.trainer(base); Trainer b = WorkersTest.trainer(base.with("kernels", "java"))) {
      for (int k = 0; k < 5; k++) {
        a.trainStep();
        b.trainStep();
        assertEquals(a.lastLoss(), b.lastLoss(), 1e-5, "loss at step " + k);
      }
      // far below one lr-sized step (3e-3)
      boolean someBitsDiffer = WorkersTest.sameUpToRounding(a, b, 1e-4);
      assertTrue(someBitsDiffer, "bit-identical parameters: did the Java core run at all?");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"forbid=prev_token_l1", "positional=rotary", "heads=16"})
  void settingsTheJavaCoreCannotServeAreOneLineNamingIt(String assignment) {
    Settings s = TrainingRunTest.tiny().with("kernels", "java").withAssignment(assignment);
    UserInputException e = assertThrows(UserInputException.class, () -> WorkersTest.trainer(s).close());
    assertEquals("kernels", e.field().orElseThrow());
    assertTrue(e.problem().contains("use libtorch"), e.problem());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"positional=learned, JAVA", "forbid=prev_token_l1, LIBTORCH", "positional=rotary, LIBTORCH",
      "heads=16, LIBTORCH"})
  void autoPicksJavaWhereItCanServeTheRunAndLibtorchElsewhere(String assignment, String expected) {
    Settings s = TrainingRunTest.tiny().with("kernels", "auto").withAssignment(assignment);
    try (Trainer t = WorkersTest.trainer(s)) {
      assertEquals(coopetition.transformer.config.Compute.Kernels.valueOf(expected), t.kernels());
      t.trainStep();
      assertTrue(Double.isFinite(t.lastLoss()));
    }
    try (Trainer same = WorkersTest.trainer(s.with("kernels", expected.toLowerCase()));
        Trainer auto = WorkersTest.trainer(s)) {
      for (int k = 0; k < 3; k++) {
        same.trainStep();
        auto.trainStep();
      }
      assertEquals(same.lastLoss(), auto.lastLoss(), 0.0, "auto is " + expected + " bit for bit");
    }
  }
}
