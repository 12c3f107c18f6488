package coopetition.transformer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticBankTest {

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  private static float[] exemplar(FeatureBank bank, int c, int e) {
    float[] x = new float[bank.dim()];
    bank.copyExemplar(c, e, x, 0);
    return x;
  }

  @Test
  void statisticsMatchTheGenerativeModel() {
    double eps = 0.75;
    int d = 256;
    SyntheticBank bank = new SyntheticBank(new SyntheticBank.Config(200, 6, d, eps, 11));
    double sqNorm = 0;
    double within = 0;
    double between = 0;
    double toCentroid = 0;
    int nw = 0;
    int nb = 0;
    int nn = 0;
    float[] mu = new float[d];
    for (int c = 0; c < 200; c++) {
      bank.copyCentroid(c, mu, 0);
      for (int e = 0; e < 6; e++) {
        float[] x = exemplar(bank, c, e);
        sqNorm += dot(x, x);
        nn++;
        toCentroid += dot(x, mu) / Math.sqrt(dot(x, x) * dot(mu, mu));
        float[] y = exemplar(bank, c, (e + 1) % 6);
        within += dot(x, y) / Math.sqrt(dot(x, x) * dot(y, y));
        nw++;
        float[] z = exemplar(bank, (c + 1) % 200, e);
        between += dot(x, z) / Math.sqrt(dot(x, x) * dot(z, z));
        nb++;
      }
    }
    // E|x|² = D exactly; the mean over 1200 exemplars is within a few 0.1% of it.
    assertEquals(d, sqNorm / nn, 0.02 * d);
    // cos(x_ce, x_ce') → |mu|²/(|mu|²+eps²) = 1/(1+eps²) = 0.64; cos(x, mu) → 1/sqrt(1+eps²) = 0.8.
    assertEquals(1 / (1 + eps * eps), within / nw, 0.02);
    assertEquals(1 / Math.sqrt(1 + eps * eps), toCentroid / nn, 0.02);
    // Independent centroids: cosine ~ N(0, 1/D) per pair, mean over 1200 pairs ≈ 0 ± 0.002.
    assertEquals(0, between / nb, 0.01);
  }

  @Test
  void zeroEpsGivesTheCentroidForEveryExemplar() {
    SyntheticBank bank = new SyntheticBank(new SyntheticBank.Config(4, 3, 32, 0, 5));
    float[] mu = new float[32];
    bank.copyCentroid(2, mu, 0);
    float[] x = exemplar(bank, 2, 1);
    double s = Math.sqrt(32);
    for (int j = 0; j < 32; j++) {
      assertEquals(mu[j] * s, x[j], 1e-5);
    }
    assertArrayEquals(x, exemplar(bank, 2, 0));
  }

  @Test
  void deterministicFromTheSeedAndIdenticalWhetherMaterialisedOrNot() {
    SyntheticBank.Config cfg = new SyntheticBank.Config(50, 4, 40, 0.5, 3);
    SyntheticBank a = new SyntheticBank(cfg);
    SyntheticBank onDemand = new SyntheticBank(cfg, false);
    assertTrue(a.isMaterialised());
    assertFalse(onDemand.isMaterialised());
    for (int c = 0; c < 50; c += 7) {
      for (int e = 0; e < 4; e++) {
        float[] x = exemplar(a, c, e);
        assertArrayEquals(x, exemplar(onDemand, c, e));
        assertArrayEquals(x, exemplar(onDemand, c, e), "repeat calls give the same values");
      }
    }
    assertEquals(a.fingerprint(), onDemand.fingerprint());
    SyntheticBank other = new SyntheticBank(new SyntheticBank.Config(50, 4, 40, 0.5, 4));
    assertFalse(java.util.Arrays.equals(exemplar(a, 0, 0), exemplar(other, 0, 0)));
    assertNotEquals(a.fingerprint(), other.fingerprint());
    // Exemplars of one class differ from each other when eps > 0.
    assertFalse(java.util.Arrays.equals(exemplar(a, 0, 0), exemplar(a, 0, 1)));
  }

  @Test
  void paperScaleBankAt512IsNotMaterialised() {
    SyntheticBank big = new SyntheticBank(SyntheticBank.Config.paperScale(512, 0.5, 0));
    assertFalse(big.isMaterialised(), "12800×20×512 floats would be 500 MB");
    SyntheticBank d64 = new SyntheticBank(SyntheticBank.Config.paperScale(64, 0.5, 0));
    assertTrue(d64.isMaterialised());
    assertArrayEquals(exemplar(d64, 12_799, 19), exemplar(new SyntheticBank(d64.config(), false), 12_799, 19));
  }

  @Test
  void threadSafeOnDemandGeneration() throws Exception {
    SyntheticBank bank = new SyntheticBank(new SyntheticBank.Config(64, 8, 48, 0.3, 9), false);
    float[][] expected = new float[64 * 8][];
    for (int k = 0; k < expected.length; k++) {
      expected[k] = exemplar(bank, k / 8, k % 8);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int shift = t;
        results.add(pool.submit(() -> {
          for (int r = 0; r < 20; r++) {
            for (int k = 0; k < expected.length; k++) {
              int kk = (k * 7 + shift) % expected.length;
              if (!java.util.Arrays.equals(expected[kk], exemplar(bank, kk / 8, kk % 8))) {
                return false;
              }
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : results) {
        assertTrue(f.get());
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void invalidConfigsAndIndicesAreRejected() {
    assertThrows(UserInputException.class, () -> new SyntheticBank.Config(1, 5, 8, 0.1, 0));
    assertThrows(UserInputException.class, () -> new SyntheticBank.Config(10, 0, 8, 0.1, 0));
    assertThrows(UserInputException.class, () -> new SyntheticBank.Config(10, 5, 8, -1, 0));
    assertThrows(UserInputException.class, () -> new SyntheticBank.Config(10, 5, 8, Double.NaN, 0));
    SyntheticBank bank = new SyntheticBank(new SyntheticBank.Config(10, 5, 8, 0.1, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> bank.copyExemplar(10, 0, new float[8], 0));
    assertThrows(IndexOutOfBoundsException.class, () -> bank.copyExemplar(0, 5, new float[8], 0));
    assertTrue(bank.describe().contains("eps=0.1"));
  }
}
