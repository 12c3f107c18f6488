package coopetition.transformer.model;

/** Fixed position tables (PAPER-SETUP §3.2); learned positions are a parameter instead. */
final class Positions {
  private Positions() {}

  /** [t, d] row-major: PE[i, 2m] = sin(i / T^(2m/d)), PE[i, 2m+1] = cos(i / T^(2m/d)). */
  static float[] sinusoidal(int t, int d, double base) {
    float[] pe = new float[t * d];
    for (int i = 0; i < t; i++) {
      for (int m = 0; 2 * m < d; m++) {
        double angle = i / Math.pow(base, 2.0 * m / d);
        pe[i * d + 2 * m] = (float) Math.sin(angle);
        if (2 * m + 1 < d) {
          pe[i * d + 2 * m + 1] = (float) Math.cos(angle);
        }
      }
    }
    return pe;
  }

  /** {cos, sin}, each [t, hd/2] row-major, of angle p / T^(2m/hd). */
  static double[][] rotary(int t, int hd, double base) {
    int half = hd / 2;
    double[] cos = new double[t * half];
    double[] sin = new double[t * half];
    for (int p = 0; p < t; p++) {
      for (int m = 0; m < half; m++) {
        double angle = p / Math.pow(base, 2.0 * m / hd);
        cos[p * half + m] = Math.cos(angle);
        sin[p * half + m] = Math.sin(angle);
      }
    }
    return new double[][] {cos, sin};
  }
}
