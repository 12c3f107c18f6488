package coopetition.transformer.intervene;

/** Fixed attention patterns as [T, T] row-major arrays (row = query token, column = key token). */
final class PatternArrays {
  private PatternArrays() {}

  /** One-hot on the previous token (the first token on itself). */
  static float[] previousToken(int tokens) {
    float[] m = new float[tokens * tokens];
    m[0] = 1;
    for (int i = 1; i < tokens; i++) {
      m[i * tokens + i - 1] = 1;
    }
    return m;
  }
}
