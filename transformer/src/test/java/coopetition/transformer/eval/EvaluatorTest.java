package coopetition.transformer.eval;

import static coopetition.transformer.data.ItemType.BURSTY;
import static coopetition.transformer.data.ItemType.DISTRACTOR;
import static coopetition.transformer.data.ItemType.OTHER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import coopetition.transformer.data.SamplerConfig;
import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.data.SequenceSampler;
import coopetition.transformer.data.SyntheticBank;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every evaluator checked against its definition (PAPER-SETUP §2.2, §2.3) on many sequences. */
class EvaluatorTest {
  static final int N = 3000;
  static final SyntheticBank BANK = new SyntheticBank(new SyntheticBank.Config(200, 5, 4, 0.5, 1));

  static SequenceBatch sample(Evaluator e, int ctx, int trainB) {
    return new SequenceSampler(BANK, IntStream.range(0, 200).toArray(), IntStream.range(0, 5).toArray(),
        e.config(ctx, trainB)).sample(77, N);
  }

  static Set<Integer> contextClasses(SequenceBatch b, int i) {
    Set<Integer> s = new HashSet<>();
    for (int p = 0; p < b.contextLength(); p++) {
      s.add(b.classAt(i, p));
    }
    return s;
  }

  @Test
  void namesAndPrefixes() {
    assertEquals("iwl_copy_avail", Evaluator.CIWL.paperName());
    assertEquals("ciwl", Evaluator.CIWL.columnPrefix());
    assertEquals("flip_icl", Evaluator.FLIP.paperName());
    assertEquals("flip", Evaluator.FLIP.columnPrefix());
    assertEquals("pure_iwl", Evaluator.IWL.paperName());
    assertEquals("iwl", Evaluator.IWL.columnPrefix());
    assertEquals("train_eval", Evaluator.TRAIN.columnPrefix());
    assertEquals("icl", Evaluator.ICL.columnPrefix());
    for (Evaluator e : Evaluator.values()) {
      assertEquals(e, Evaluator.byName(e.paperName()));
      assertEquals(e, Evaluator.byName(e.columnPrefix()));
      assertEquals(e.config(2, 1), e.config());
      assertFalse(e.config().matchQueryAndDistractors(), "eval data is built without mq");
      assertEquals(0, e.config().zipfAlpha(), "eval classes are uniform");
    }
    assertThrows(UserInputException.class, () -> Evaluator.byName("ood"));
  }

  @ParameterizedTest
  @CsvSource({"2, 1", "8, 3"})
  void trainEvalIsTheTrainingDistribution(int ctx, int trainB) {
    SequenceBatch b = sample(Evaluator.TRAIN, ctx, trainB);
    assertEquals(SamplerConfig.bursty(ctx, trainB), Evaluator.TRAIN.config(ctx, trainB));
    for (int i = 0; i < N; i++) {
      int bursty = 0;
      for (int p = 0; p < b.pairs(); p++) {
        assertEquals(b.classAt(i, p), b.label(i, p), "labels = classes");
        bursty += b.itemType(i, p) == BURSTY ? 1 : 0;
      }
      assertEquals(trainB, bursty);
      assertTrue(b.contextHasLabel(i, b.target(i)));
    }
  }

  @ParameterizedTest
  @CsvSource({"2, 1", "8, 3"})
  void iclUsesLabelsZeroAndOneAndTheQueryMatchesItsSameClassItems(int ctx, int trainB) {
    SequenceBatch b = sample(Evaluator.ICL, ctx, trainB);
    int zero = 0;
    for (int i = 0; i < N; i++) {
      int t = b.target(i);
      assertTrue(t == 0 || t == 1);
      zero += t == 0 ? 1 : 0;
      int bursty = 0;
      for (int p = 0; p < ctx; p++) {
        assertTrue(b.label(i, p) == 0 || b.label(i, p) == 1, "labels in {0,1}");
        if (b.classAt(i, p) == b.queryClass(i)) {
          assertEquals(t, b.label(i, p), "the query's label equals its same-class context item's");
          bursty++;
        } else {
          assertEquals(1 - t, b.label(i, p));
        }
      }
      assertEquals(ctx / 2, bursty, "B = L/2 (ctx8_eval uses 4·q + 4·d)");
    }
    assertEquals(0.5, zero / (double) N, 0.03);
  }

  @ParameterizedTest
  @CsvSource({"2, 1", "8, 3"})
  void ciwlHasTheTargetLabelOnExactlyOneWrongExemplar(int ctx, int trainB) {
    SequenceBatch b = sample(Evaluator.CIWL, ctx, trainB);
    for (int i = 0; i < N; i++) {
      assertEquals(b.queryClass(i), b.target(i));
      assertFalse(contextClasses(b, i).contains(b.queryClass(i)), "no context item has the query class");
      assertEquals(ctx, contextClasses(b, i).size(), "context classes are distinct");
      int hits = 0;
      for (int p = 0; p < ctx; p++) {
        assertEquals(OTHER, b.itemType(i, p));
        if (b.label(i, p) == b.target(i)) {
          hits++;
        } else {
          assertEquals(b.classAt(i, p), b.label(i, p));
        }
      }
      assertEquals(1, hits, "exactly one context label equals the target");
    }
  }

  @ParameterizedTest
  @CsvSource({"2, 1", "8, 3"})
  void flipTargetsTheDistractorId(int ctx, int trainB) {
    SequenceBatch b = sample(Evaluator.FLIP, ctx, trainB);
    for (int i = 0; i < N; i++) {
      int q = b.queryClass(i);
      int d = -1;
      for (int p = 0; p < ctx; p++) {
        if (b.itemType(i, p) == DISTRACTOR) {
          d = b.classAt(i, p);
        }
      }
      assertNotEquals(-1, d);
      assertEquals(d, b.target(i), "target = distractor class");
      for (int p = 0; p < ctx; p++) {
        if (b.itemType(i, p) == BURSTY) {
          assertEquals(q, b.classAt(i, p));
          assertEquals(d, b.label(i, p), "bursty item carries the distractor's id");
        } else {
          assertEquals(DISTRACTOR, b.itemType(i, p));
          assertEquals(q, b.label(i, p), "distractor carries the query's id");
        }
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"2, 1", "8, 3"})
  void pureIwlHasNoTargetInContext(int ctx, int trainB) {
    SequenceBatch b = sample(Evaluator.IWL, ctx, trainB);
    for (int i = 0; i < N; i++) {
      assertEquals(b.queryClass(i), b.target(i));
      assertFalse(b.contextHasLabel(i, b.target(i)), "target absent from the context labels");
      assertEquals(ctx, contextClasses(b, i).size());
      for (int p = 0; p < ctx; p++) {
        assertEquals(b.classAt(i, p), b.label(i, p));
      }
    }
  }
}
