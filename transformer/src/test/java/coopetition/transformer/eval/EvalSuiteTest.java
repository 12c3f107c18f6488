package coopetition.transformer.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.data.Splits;
import coopetition.transformer.data.SyntheticBank;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class EvalSuiteTest {
  @TempDir Path dir;

  static final SyntheticBank BANK = new SyntheticBank(new SyntheticBank.Config(300, 8, 6, 0.5, 2));

  static EvalSuite.Spec spec(long seed) {
    return EvalSuite.Spec.paperDefaults(Splits.allTrain(BANK), 200, 2, 1).withSeed(seed);
  }

  static void assertOneLineError(String fragment, Executable run) {
    UserInputException e = assertThrows(UserInputException.class, run);
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void paperDefaultsScaleToSmallBanks() {
    EvalSuite.Spec s = EvalSuite.Spec.paperDefaults(Splits.allTrain(BANK), 5000, 2, 1);
    assertEquals(300, s.classes().length, "all classes when the bank has fewer than 1600");
    assertEquals(5, s.exemplars().length, "exemplars 0..4");
    assertEquals(1, s.evalSeed());
    assertEquals(List.of(Evaluator.values()), s.evaluators());
    EvalSuite.Spec p = EvalSuite.Spec.paperDefaults(new Splits(new int[] {12_800, 0, 184}, new int[] {20, 0, 0}), 5000, 2, 1);
    assertEquals(1600, p.classes().length);
    assertEquals(1599, p.classes()[1599], "the first 1600 training classes, as in default_eval");
    assertEquals(5, p.exemplars().length);
    EvalSuite.Spec ctx8 = EvalSuite.Spec.paperDefaults(new Splits(new int[] {12_800, 0, 184}, new int[] {20, 0, 0}), 1000, 8, 3);
    assertEquals(12_800, ctx8.classes().length, "ctx8_eval draws from the whole train split");
    assertEquals(20, ctx8.exemplars().length);
  }

  @Test
  void builtOnceDeterministicallyAndPerEvaluatorIndependent() {
    EvalSuite a = EvalSuite.build(BANK, spec(1));
    EvalSuite b = EvalSuite.build(BANK, spec(1));
    for (Evaluator e : Evaluator.values()) {
      assertEquals(a.get(e).data(), b.get(e).data());
      assertEquals(200, a.get(e).data().size());
    }
    assertNotEquals(a.get(Evaluator.ICL).data(), EvalSuite.build(BANK, spec(2)).get(Evaluator.ICL).data());
    // Dropping an evaluator does not change the others' sequences.
    EvalSuite only = EvalSuite.build(BANK, new EvalSuite.Spec(1, List.of(Evaluator.FLIP), 200, spec(1).classes(),
        spec(1).exemplars(), 2, 1));
    assertEquals(a.get(Evaluator.FLIP).data(), only.get(Evaluator.FLIP).data());
    assertThrows(IllegalArgumentException.class, () -> only.get(Evaluator.ICL));
    // Eval sequences stay inside the eval subsets.
    for (EvalSet s : a.sets()) {
      for (int x : s.data().exemplars()) {
        assertTrue(x < 5);
      }
    }
  }

  @Test
  void writeThenReadRegathersTheSameSequences() throws IOException {
    Path f = dir.resolve("eval_sets.bin");
    EvalSuite built = EvalSuite.loadOrBuild(f, BANK, spec(1));
    assertTrue(Files.exists(f));
    assertTrue(Files.size(f) < 20_000, "compact: indices only, gzip'd (" + Files.size(f) + " bytes)");
    EvalSuite loaded = EvalSuite.loadOrBuild(f, BANK, spec(1));
    assertEquals(built.spec(), loaded.spec());
    for (Evaluator e : Evaluator.values()) {
      assertEquals(built.get(e).data(), loaded.get(e).data(), e.paperName());
    }
    assertArrayEquals(built.get(Evaluator.CIWL).data().examples(), EvalSuite.read(f, BANK, null).get(Evaluator.CIWL).data().examples());
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temp files left behind");
    }
  }

  @Test
  void mismatchedOrBrokenFilesGiveOneClearLine() throws IOException {
    Path f = dir.resolve("eval_sets.bin");
    EvalSuite.build(BANK, spec(1)).write(f, BANK);
    assertOneLineError("was built for", () -> EvalSuite.read(f, BANK, spec(3)));
    FeatureBank other = new SyntheticBank(new SyntheticBank.Config(300, 8, 6, 0.5, 99));
    assertOneLineError("was built from synthetic", () -> EvalSuite.read(f, other, spec(1)));
    EvalSuite.Spec ctx8 = new EvalSuite.Spec(1, List.of(Evaluator.values()), 200, spec(1).classes(), spec(1).exemplars(), 8, 3);
    assertOneLineError("delete " + f, () -> EvalSuite.read(f, BANK, ctx8));

    byte[] bytes = Files.readAllBytes(f);
    Path truncated = dir.resolve("truncated.bin");
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThrows(UserInputException.class, () -> EvalSuite.read(truncated, BANK, spec(1)));
    Path junk = dir.resolve("junk.bin");
    Files.writeString(junk, "not an eval set");
    assertOneLineError("gzip", () -> EvalSuite.read(junk, BANK, spec(1)));
  }
}
