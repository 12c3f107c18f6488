package coopetition.transformer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NormalTableTest {

  @Test
  void quantilesMatchKnownValues() {
    assertEquals(-1.959963985, NormalTable.inverseNormalCdf(0.025), 1e-8);
    assertEquals(-3.090232306, NormalTable.inverseNormalCdf(0.001), 1e-8);
    assertEquals(-0.674489750, NormalTable.inverseNormalCdf(0.25), 1e-8);
    assertEquals(1.644853627, NormalTable.inverseNormalCdf(0.95), 1e-8);
    assertEquals(0, NormalTable.inverseNormalCdf(0.5), 1e-15);
  }

  @Test
  void tableHasGaussianMoments() {
    double m1 = 0;
    double m2 = 0;
    double m4 = 0;
    for (float v : NormalTable.VALUES) {
      m1 += v;
      m2 += v * v;
      m4 += (double) v * v * v * v;
    }
    int n = NormalTable.VALUES.length;
    assertEquals(0, m1 / n, 1e-9, "symmetric");
    assertEquals(1, m2 / n, 1e-6, "rescaled to unit variance");
    assertEquals(3, m4 / n, 0.01, "Gaussian kurtosis (tails cut at 4.3σ change it by < 0.01)");
  }

  @Test
  void drawsFromAStreamAreUncorrelatedAndReproducible() {
    float[] a = new float[100_000];
    float[] b = new float[100_000];
    NormalTable.fill(new Rng(3), a, 0, a.length);
    NormalTable.fill(new Rng(3), b, 0, b.length);
    org.junit.jupiter.api.Assertions.assertArrayEquals(a, b);
    double lag1 = 0;
    double lag4 = 0;
    for (int i = 4; i < a.length; i++) {
      lag1 += a[i] * a[i - 1];
      lag4 += a[i] * a[i - 4];
    }
    // Under independence each lag sum / n ~ N(0, 1/n): 4σ = 0.013.
    assertEquals(0, lag1 / a.length, 0.013);
    assertEquals(0, lag4 / a.length, 0.013);
  }
}
