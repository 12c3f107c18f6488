package coopetition.transformer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RngTest {

  @Test
  void nextIntIsUniform() {
    Rng r = new Rng(42);
    int k = 7;
    int n = 70_000;
    int[] counts = new int[k];
    for (int i = 0; i < n; i++) {
      int v = r.nextInt(k);
      assertTrue(v >= 0 && v < k);
      counts[v]++;
    }
    double chi2 = 0;
    for (int c : counts) {
      chi2 += Math.pow(c - n / (double) k, 2) / (n / (double) k);
    }
    // 6 degrees of freedom: P(chi2 > 22.5) = 0.001.
    assertTrue(chi2 < 22.5, "chi2 = " + chi2);
  }

  @Test
  void gaussianHasUnitMomentsAndBulkEqualsItsOwnDefinition() {
    Rng r = new Rng(7);
    double[] g = new double[100_001];
    r.fillGaussian(g, 0, g.length);
    double m = 0;
    double m2 = 0;
    double m4 = 0;
    for (double v : g) {
      m += v;
      m2 += v * v;
      m4 += v * v * v * v;
    }
    m /= g.length;
    m2 /= g.length;
    m4 /= g.length;
    assertEquals(0, m, 0.015);
    assertEquals(1, m2, 0.02);
    assertEquals(3, m4, 0.1, "Gaussian kurtosis");
    double s = 0;
    for (int i = 0; i < 20_000; i++) {
      double v = r.nextGaussian();
      s += v * v;
    }
    assertEquals(1, s / 20_000, 0.04);
  }

  @Test
  void mixedStreamsAreDistinctAndReproducible() {
    assertEquals(new Rng(Rng.mix(5, 3)).nextLong(), new Rng(Rng.mix(5, 3)).nextLong());
    assertNotEquals(Rng.mix(5, 3), Rng.mix(5, 4));
    assertNotEquals(Rng.mix(5, 3), Rng.mix(6, 3));
    assertNotEquals(Rng.mix(0, 1), Rng.mix(1, 0));
  }
}
