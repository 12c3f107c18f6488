package coopetition.transformer.data;

import static coopetition.transformer.data.ItemType.BURSTY;
import static coopetition.transformer.data.ItemType.DISTRACTOR;
import static coopetition.transformer.data.ItemType.OTHER;
import static coopetition.transformer.data.ItemType.QUERY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import coopetition.transformer.data.SamplerConfig.Relabel;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SequenceSamplerTest {
  static final int N = 4000;

  /** A bank whose features are (class, exemplar), so the gathered examples reveal what was gathered. */
  static DenseBank labelledBank(int classes, int exemplars) {
    float[] data = new float[classes * exemplars * 2];
    for (int c = 0; c < classes; c++) {
      for (int e = 0; e < exemplars; e++) {
        data[(c * exemplars + e) * 2] = c;
        data[(c * exemplars + e) * 2 + 1] = e;
      }
    }
    return new DenseBank(data, classes, exemplars, 2, "labelled test bank");
  }

  static SequenceSampler sampler(int classes, int exemplars, SamplerConfig cfg) {
    return new SequenceSampler(labelledBank(classes, exemplars), IntStream.range(0, classes).toArray(),
        IntStream.range(0, exemplars).toArray(), cfg);
  }

  /** Checks invariants every batch has: query last, examples gathered with the true class and exemplar. */
  static void assertWellFormed(SequenceBatch b) {
    for (int i = 0; i < b.size(); i++) {
      for (int p = 0; p < b.pairs(); p++) {
        assertEquals(p == b.pairs() - 1, b.itemType(i, p) == QUERY);
        assertEquals(b.classAt(i, p), b.examples()[b.exampleOffset(i, p)], 0);
        assertEquals(b.exemplarAt(i, p), b.examples()[b.exampleOffset(i, p) + 1], 0);
      }
    }
  }

  static int count(SequenceBatch b, int i, int type) {
    int n = 0;
    for (int p = 0; p < b.pairs(); p++) {
      n += b.itemType(i, p) == type ? 1 : 0;
    }
    return n;
  }

  @Test
  void mainDistribution() {
    SequenceBatch b = sampler(30, 20, SamplerConfig.main()).sample(1, N);
    assertWellFormed(b);
    int burstyFirst = 0;
    int sameExemplar = 0;
    for (int i = 0; i < N; i++) {
      assertEquals(1, count(b, i, BURSTY));
      assertEquals(1, count(b, i, DISTRACTOR));
      int q = b.queryClass(i);
      int bp = b.itemType(i, 0) == BURSTY ? 0 : 1;
      burstyFirst += bp == 0 ? 1 : 0;
      assertEquals(q, b.classAt(i, bp));
      assertNotEquals(q, b.classAt(i, 1 - bp));
      for (int p = 0; p < 3; p++) {
        assertEquals(b.classAt(i, p), b.label(i, p), "labels are the true classes");
      }
      sameExemplar += b.exemplarAt(i, bp) == b.exemplarAt(i, 2) ? 1 : 0;
    }
    assertEquals(0.5, burstyFirst / (double) N, 0.03, "context order is shuffled");
    assertEquals(1 / 20.0, sameExemplar / (double) N, 0.012, "query exemplar is an independent draw");
  }

  @Test
  void queryAndDistractorClassesAreUniform() {
    int k = 20;
    SequenceBatch b = sampler(k, 3, SamplerConfig.main()).sample(2, 20_000);
    int[] q = new int[k];
    int[] d = new int[k];
    for (int i = 0; i < b.size(); i++) {
      q[b.queryClass(i)]++;
      for (int p = 0; p < 2; p++) {
        if (b.itemType(i, p) == DISTRACTOR) {
          d[b.classAt(i, p)]++;
        }
      }
    }
    // 19 degrees of freedom: P(chi2 > 43.8) = 0.001.
    assertTrue(chi2(q) < 43.8, "query chi2 " + chi2(q));
    assertTrue(chi2(d) < 43.8, "distractor chi2 " + chi2(d));
  }

  static double chi2(int[] counts) {
    double total = Arrays.stream(counts).sum();
    double e = total / counts.length;
    return Arrays.stream(counts).mapToDouble(c -> (c - e) * (c - e) / e).sum();
  }

  @Test
  void zipfClassDistribution() {
    SequenceBatch b = sampler(10, 2, SamplerConfig.main().withZipfAlpha(1.0)).sample(3, 40_000);
    int[] q = new int[10];
    for (int i = 0; i < b.size(); i++) {
      q[b.queryClass(i)]++;
    }
    double h = IntStream.rangeClosed(1, 10).mapToDouble(r -> 1.0 / r).sum();
    for (int r = 0; r < 10; r++) {
      double expected = 1.0 / (r + 1) / h;
      assertEquals(expected, q[r] / 40_000.0, 4 * Math.sqrt(expected / 40_000), "rank " + (r + 1));
    }
  }

  @Test
  void ctx8BurstyWithIidFillersThatMayHitQueryOrDistractor() {
    int k = 6;
    SequenceBatch b = sampler(k, 4, SamplerConfig.bursty(8, 3)).sample(4, N);
    assertWellFormed(b);
    int fillerHitsQd = 0;
    int[] burstyAt = new int[8];
    for (int i = 0; i < N; i++) {
      assertEquals(3, count(b, i, BURSTY));
      assertEquals(3, count(b, i, DISTRACTOR));
      assertEquals(2, count(b, i, OTHER));
      int q = b.queryClass(i);
      int d = -1;
      for (int p = 0; p < 8; p++) {
        int t = b.itemType(i, p);
        if (t == BURSTY) {
          assertEquals(q, b.classAt(i, p));
          burstyAt[p]++;
        } else if (t == DISTRACTOR) {
          if (d < 0) {
            d = b.classAt(i, p);
          }
          assertEquals(d, b.classAt(i, p), "all distractors share one class");
        }
        assertEquals(b.classAt(i, p), b.label(i, p));
      }
      assertNotEquals(q, d);
      for (int p = 0; p < 8; p++) {
        if (b.itemType(i, p) == OTHER && (b.classAt(i, p) == q || b.classAt(i, p) == d)) {
          fillerHitsQd++;
        }
      }
    }
    // Fillers are i.i.d. over all k classes: each hits q or d with probability 2/k.
    assertEquals(2.0 / k, fillerHitsQd / (2.0 * N), 0.02);
    for (int p = 0; p < 8; p++) {
      assertEquals(3.0 / 8, burstyAt[p] / (double) N, 0.03, "bursty items are spread over positions");
    }
  }

  @Test
  void uniqueRestAndNoSupportFillers() {
    int k = 12;
    SequenceBatch u = sampler(k, 2, new SamplerConfig(8, 0, true, false, true, false, Relabel.NONE, 0, false, 0)).sample(5, N);
    SequenceBatch ns = sampler(k, 2, new SamplerConfig(8, 0, true, true, false, false, Relabel.NONE, 0, false, 0)).sample(5, N);
    SequenceBatch nsd = sampler(k, 2, new SamplerConfig(6, 2, true, true, false, false, Relabel.NONE, 0, false, 0)).sample(5, N);
    assertWellFormed(u);
    int nsRepeats = 0;
    for (int i = 0; i < N; i++) {
      Set<Integer> seen = new HashSet<>();
      for (int p = 0; p < 8; p++) {
        assertEquals(OTHER, u.itemType(i, p));
        assertNotEquals(u.queryClass(i), u.classAt(i, p));
        assertTrue(seen.add(u.classAt(i, p)), "unique_rest fillers are distinct");
        assertNotEquals(ns.queryClass(i), ns.classAt(i, p), "no_support never shows the query class");
      }
      int seq = i;
      nsRepeats += IntStream.range(0, 8).map(p -> ns.classAt(seq, p)).distinct().count() < 8 ? 1 : 0;
      int q = nsd.queryClass(i);
      int d = -1;
      for (int p = 0; p < 6; p++) {
        if (nsd.itemType(i, p) == DISTRACTOR) {
          d = nsd.classAt(i, p);
        }
      }
      for (int p = 0; p < 6; p++) {
        if (nsd.itemType(i, p) == OTHER) {
          assertTrue(nsd.classAt(i, p) != q && nsd.classAt(i, p) != d, "no_support fillers avoid q and d");
        }
      }
    }
    assertTrue(nsRepeats > N / 2, "no_support fillers are i.i.d., so repeats are common with 11 classes");
  }

  @Test
  void assignQueryLabelRandomPutsTheQueryLabelOnAUniformContextPosition() {
    SequenceBatch b = sampler(10, 2, SamplerConfig.ciwlOnly(2)).sample(6, N);
    int first = 0;
    for (int i = 0; i < N; i++) {
      int hits = 0;
      for (int p = 0; p < 2; p++) {
        assertNotEquals(b.queryClass(i), b.classAt(i, p));
        if (b.label(i, p) == b.target(i)) {
          hits++;
          first += p == 0 ? 1 : 0;
        } else {
          assertEquals(b.classAt(i, p), b.label(i, p));
        }
      }
      assertEquals(1, hits);
      assertEquals(b.queryClass(i), b.target(i));
      assertTrue(b.classAt(i, 0) != b.classAt(i, 1));
    }
    assertEquals(0.5, first / (double) N, 0.03);
  }

  @Test
  void fsRelabelGivesAUniformOrderedPairAndKeepsFillerLabels() {
    int labels = 5;
    SequenceBatch b = sampler(40, 2, SamplerConfig.iclOnly(6, 2, labels)).sample(7, 10_000);
    assertWellFormed(b);
    int[][] pairs = new int[labels][labels];
    for (int i = 0; i < b.size(); i++) {
      int a = b.target(i);
      int d = -1;
      for (int p = 0; p < 6; p++) {
        switch (b.itemType(i, p)) {
          case BURSTY -> assertEquals(a, b.label(i, p));
          case DISTRACTOR -> {
            if (d < 0) {
              d = b.label(i, p);
            }
            assertEquals(d, b.label(i, p));
          }
          default -> assertEquals(b.classAt(i, p), b.label(i, p), "OTHER keeps its true label");
        }
      }
      assertNotEquals(a, d);
      assertTrue(a >= 0 && a < labels && d >= 0 && d < labels);
      pairs[a][d]++;
    }
    int[] flat = new int[labels * (labels - 1)];
    int k = 0;
    for (int a = 0; a < labels; a++) {
      for (int d = 0; d < labels; d++) {
        if (a != d) {
          flat[k++] = pairs[a][d];
        }
      }
    }
    // 19 degrees of freedom: P(chi2 > 43.8) = 0.001.
    assertTrue(chi2(flat) < 43.8, "ordered pairs chi2 " + chi2(flat));
  }

  @Test
  void zeroOneAndFlipRelabelling() {
    SequenceBatch z = sampler(30, 2, SamplerConfig.main().withRelabel(Relabel.ZERO_ONE, 0)).sample(8, N);
    SequenceBatch f = sampler(30, 2, SamplerConfig.main().withRelabel(Relabel.FLIP, 0)).sample(8, N);
    int zeroTarget = 0;
    for (int i = 0; i < N; i++) {
      zeroTarget += z.target(i) == 0 ? 1 : 0;
      int bp = f.itemType(i, 0) == BURSTY ? 0 : 1;
      int q = f.queryClass(i);
      int d = f.classAt(i, 1 - bp);
      assertEquals(q, f.classAt(i, bp), "the exemplar is still the query class");
      assertEquals(d, f.label(i, bp), "bursty item carries the distractor's id");
      assertEquals(q, f.label(i, 1 - bp), "distractor carries the query's id");
      assertEquals(d, f.target(i), "flip target is the distractor's id");
      int zb = z.itemType(i, 0) == BURSTY ? 0 : 1;
      assertEquals(z.target(i), z.label(i, zb));
      assertEquals(1 - z.target(i), z.label(i, 1 - zb));
    }
    assertEquals(0.5, zeroTarget / (double) N, 0.03);
  }

  @Test
  void matchQueryAndDistractorsSharesExemplars() {
    SequenceBatch b = sampler(20, 10, SamplerConfig.bursty(8, 3).withMatchQueryAndDistractors(true)).sample(9, N);
    assertWellFormed(b);
    int qEqualsD = 0;
    int otherEqualsQuery = 0;
    int others = 0;
    for (int i = 0; i < N; i++) {
      int qx = b.exemplarAt(i, 8);
      int dx = -1;
      for (int p = 0; p < 8; p++) {
        switch (b.itemType(i, p)) {
          case BURSTY -> assertEquals(qx, b.exemplarAt(i, p));
          case DISTRACTOR -> {
            if (dx < 0) {
              dx = b.exemplarAt(i, p);
            }
            assertEquals(dx, b.exemplarAt(i, p));
          }
          default -> {
            others++;
            otherEqualsQuery += b.exemplarAt(i, p) == qx ? 1 : 0;
          }
        }
      }
      qEqualsD += qx == dx ? 1 : 0;
    }
    assertEquals(0.1, qEqualsD / (double) N, 0.02, "the two shared indices are independent draws");
    assertEquals(0.1, otherEqualsQuery / (double) others, 0.015, "OTHER exemplars are independent");
  }

  @Test
  void subsetsAreRespected() {
    DenseBank bank = labelledBank(40, 8);
    int[] classes = {31, 5, 17, 22, 9};
    int[] exemplars = {2, 6};
    SequenceBatch b = new SequenceSampler(bank, classes, exemplars, SamplerConfig.bursty(4, 1)).sample(10, 2000);
    assertWellFormed(b);
    Set<Integer> cs = new HashSet<>();
    Set<Integer> xs = new HashSet<>();
    for (int k = 0; k < b.classes().length; k++) {
      cs.add(b.classes()[k]);
      xs.add(b.exemplars()[k]);
    }
    assertEquals(Set.of(31, 5, 17, 22, 9), cs);
    assertEquals(Set.of(2, 6), xs);

    SequenceBatch t = SequenceSampler.forTraining(bank, Splits.parse("30,0,10", "5,1,2"), SamplerConfig.main()).sample(11, 3000);
    for (int k = 0; k < t.classes().length; k++) {
      assertTrue(t.classes()[k] < 30, "train classes only");
      assertTrue(t.exemplars()[k] < 5, "train exemplars only");
    }
    assertThrows(UserInputException.class, () -> SequenceSampler.forTraining(bank, Splits.parse("30,0,0", "8,0,0"), SamplerConfig.main()));
  }

  @Test
  void samplingIsAPureFunctionOfTheSeed() {
    SequenceSampler s = sampler(50, 5, SamplerConfig.bursty(8, 3).withRelabel(Relabel.FS_RELABEL, 50));
    SequenceBatch a = s.sample(123, 64);
    assertEquals(a, s.sample(123, 64));
    assertEquals(a, sampler(50, 5, s.config()).sample(123, 64), "a fresh sampler gives the same batch");
    assertNotEquals(a, s.sample(124, 64));
    assertEquals(a.slice(0, 10), s.sample(123, 10), "a smaller batch is a prefix");
    assertEquals(0, s.sample(1, 0).size());
    assertArrayEquals(a.slice(5, 3).labels(), Arrays.copyOfRange(a.labels(), 5 * 9, 8 * 9));
  }

  @Test
  void invalidConfigurationsAreRejectedWithOneLine() {
    assertThrows(UserInputException.class, () -> SamplerConfig.bursty(4, 3));
    assertThrows(UserInputException.class, () -> SamplerConfig.bursty(0, 0));
    assertThrows(UserInputException.class, () -> new SamplerConfig(2, 0, true, false, false, false, Relabel.FLIP, 0, false, 0));
    assertThrows(UserInputException.class, () -> SamplerConfig.iclOnly(2, 1, 1));
    assertThrows(UserInputException.class, () -> SamplerConfig.main().withRelabel(Relabel.NONE, 7));
    assertThrows(UserInputException.class, () -> SamplerConfig.main().withZipfAlpha(-1));
    UserInputException few = assertThrows(UserInputException.class,
        () -> sampler(5, 2, new SamplerConfig(8, 0, true, false, true, false, Relabel.NONE, 0, false, 0)));
    assertTrue(few.getMessage().contains("at least 9 classes"), few.getMessage());
    assertThrows(UserInputException.class, () -> new SequenceSampler(labelledBank(5, 2), new int[] {0, 1, 1}, new int[] {0}, SamplerConfig.main()));
    assertThrows(UserInputException.class, () -> new SequenceSampler(labelledBank(5, 2), new int[] {0, 7}, new int[] {0}, SamplerConfig.main()));
    assertThrows(UserInputException.class, () -> new SequenceSampler(labelledBank(5, 2), new int[] {0, 1}, new int[] {2}, SamplerConfig.main()));
    assertEquals(2, SamplerConfig.main().minClasses());
    assertEquals(2, SamplerConfig.bursty(8, 3).minClasses(), "i.i.d. fillers may repeat q or d");
    assertEquals(3, SamplerConfig.ciwlOnly(2).minClasses(), "q plus two distinct fillers");
    assertEquals(3, new SamplerConfig(8, 3, true, true, false, false, Relabel.NONE, 0, false, 0).minClasses());
  }
}
