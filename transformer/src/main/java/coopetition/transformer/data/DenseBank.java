package coopetition.transformer.data;

import coopetition.common.UserInputException;

/** A bank held in memory as one C-order {@code float[K·E·D]}; what the file readers return. */
public final class DenseBank implements FeatureBank {
  private final float[] data;
  private final int classes;
  private final int exemplars;
  private final int dim;
  private final String description;

  /** Wraps (does not copy) {@code data}, which must be C-ordered {@code [classes, exemplars, dim]}. */
  public DenseBank(float[] data, int classes, int exemplars, int dim, String description) {
    UserInputException.require(classes >= 1 && exemplars >= 1 && dim >= 1,
        "feature bank " + description + " has empty shape [" + classes + ", " + exemplars + ", " + dim + "]; give a non-empty 3-D array");
    if ((long) classes * exemplars * dim != data.length) {
      throw new IllegalArgumentException("data length " + data.length + " != " + classes + "·" + exemplars + "·" + dim);
    }
    this.data = data;
    this.classes = classes;
    this.exemplars = exemplars;
    this.dim = dim;
    this.description = description;
  }

  @Override
  public int numClasses() {
    return classes;
  }

  @Override
  public int numExemplars() {
    return exemplars;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public void copyExemplar(int cls, int ex, float[] dst, int offset) {
    FeatureBank.checkIndex(this, cls, ex);
    System.arraycopy(data, (cls * exemplars + ex) * dim, dst, offset, dim);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }
}
