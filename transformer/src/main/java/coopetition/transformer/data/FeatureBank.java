package coopetition.transformer.data;

/**
 * A dense bank of exemplar features {@code data[class, exemplar, dim]}, the authors' data layout
 * (a sequence is built from class and exemplar indices, and the features are gathered at the end).
 *
 * <p>Implementations are immutable and thread-safe: {@link #copyExemplar} may be called from many
 * threads and always yields the same values.
 */
public interface FeatureBank {

  int numClasses();

  int numExemplars();

  int dim();

  /** Writes the {@link #dim()} features of exemplar {@code ex} of class {@code cls} to {@code dst[offset..]}. */
  void copyExemplar(int cls, int ex, float[] dst, int offset);

  /** One line saying where the features come from (for provenance files and error messages). */
  String describe();

  /**
   * A content fingerprint: a hash of the shape and of a fixed spread-out sample of exemplars. Cheap
   * (at most a few hundred exemplars are read), and independent of where a file lives, so a stored eval
   * set can check that it is re-gathered from the same features.
   */
  default long fingerprint() {
    long h = Rng.mix(0x5EEDF00DL ^ numClasses());
    h = Rng.mix(h ^ numExemplars());
    h = Rng.mix(h ^ dim());
    float[] buf = new float[dim()];
    int samples = Math.min(256, numClasses());
    for (int s = 0; s < samples; s++) {
      int cls = (int) ((long) s * numClasses() / samples);
      int ex = s % numExemplars();
      copyExemplar(cls, ex, buf, 0);
      for (float v : buf) {
        h = Rng.mix(h ^ Float.floatToIntBits(v));
      }
    }
    return h;
  }

  /** Throws if {@code (cls, ex)} is outside the bank; shared by implementations for a uniform message. */
  static void checkIndex(FeatureBank bank, int cls, int ex) {
    if (cls < 0 || cls >= bank.numClasses() || ex < 0 || ex >= bank.numExemplars()) {
      throw new IndexOutOfBoundsException(
          "exemplar (" + cls + ", " + ex + ") outside bank of shape [" + bank.numClasses() + ", "
              + bank.numExemplars() + ", " + bank.dim() + "]");
    }
  }
}
