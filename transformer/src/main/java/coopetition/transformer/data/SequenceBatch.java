package coopetition.transformer.data;

import java.util.Arrays;

/**
 * A batch of {@code size} sequences of {@code pairs = context + 1} (exemplar, label) pairs; the last pair is
 * the query, whose label is the target (the model never sees it). All arrays are flat and row-major:
 * position {@code p} of sequence {@code i} is index {@code i·pairs + p}.
 *
 * @param examples {@code [size·pairs·dim]} features gathered from the bank with the ORIGINAL class ids
 * @param labels {@code [size·pairs]} label of each pair (after relabelling); {@code labels[i·pairs + pairs-1]} is the target
 * @param classes {@code [size·pairs]} true class of each position, as sampled
 * @param exemplars {@code [size·pairs]} exemplar index of each position in the bank
 * @param itemTypes {@code [size·pairs]} {@link ItemType} codes
 */
public record SequenceBatch(int size, int pairs, int dim, float[] examples, int[] labels, int[] classes,
    int[] exemplars, int[] itemTypes) {

  public SequenceBatch {
    if (size < 0 || pairs < 1 || dim < 1) {
      throw new IllegalArgumentException("bad batch shape size=" + size + " pairs=" + pairs + " dim=" + dim);
    }
    int n = size * pairs;
    if (examples.length != (long) n * dim || labels.length != n || classes.length != n || exemplars.length != n
        || itemTypes.length != n) {
      throw new IllegalArgumentException("array lengths do not match size=" + size + " pairs=" + pairs + " dim=" + dim);
    }
  }

  /**
   * Builds a batch from index arrays by gathering each position's features from {@code bank} (with the
   * true class ids in {@code classes}); the arrays are used as is, not copied.
   */
  public static SequenceBatch gather(FeatureBank bank, int size, int pairs, int[] labels, int[] classes,
      int[] exemplars, int[] itemTypes) {
    int dim = bank.dim();
    float[] examples = new float[size * pairs * dim];
    for (int k = 0; k < size * pairs; k++) {
      bank.copyExemplar(classes[k], exemplars[k], examples, k * dim);
    }
    return new SequenceBatch(size, pairs, dim, examples, labels, classes, exemplars, itemTypes);
  }

  /** Number of context pairs L (the query excluded). */
  public int contextLength() {
    return pairs - 1;
  }

  /** Label the model must predict for sequence {@code i} (the query's label). */
  public int target(int i) {
    return labels[i * pairs + pairs - 1];
  }

  /** True class of sequence {@code i}'s query. */
  public int queryClass(int i) {
    return classes[i * pairs + pairs - 1];
  }

  public int label(int i, int p) {
    return labels[i * pairs + p];
  }

  public int classAt(int i, int p) {
    return classes[i * pairs + p];
  }

  public int exemplarAt(int i, int p) {
    return exemplars[i * pairs + p];
  }

  public int itemType(int i, int p) {
    return itemTypes[i * pairs + p];
  }

  /** Offset of the features of position {@code p} of sequence {@code i} in {@link #examples()}. */
  public int exampleOffset(int i, int p) {
    return (i * pairs + p) * dim;
  }

  /** All targets, {@code [size]}. */
  public int[] targets() {
    int[] t = new int[size];
    for (int i = 0; i < size; i++) {
      t[i] = target(i);
    }
    return t;
  }

  /** Whether label {@code label} occurs among sequence {@code i}'s context labels. */
  public boolean contextHasLabel(int i, int label) {
    int base = i * pairs;
    for (int p = 0; p < pairs - 1; p++) {
      if (labels[base + p] == label) {
        return true;
      }
    }
    return false;
  }

  /** Sequences {@code [from, from+count)} as a new batch (copies), e.g. to evaluate in chunks. */
  public SequenceBatch slice(int from, int count) {
    if (from < 0 || count < 0 || from + count > size) {
      throw new IndexOutOfBoundsException("slice [" + from + ", " + (from + count) + ") of " + size);
    }
    int a = from * pairs;
    int b = (from + count) * pairs;
    return new SequenceBatch(count, pairs, dim, Arrays.copyOfRange(examples, a * dim, b * dim),
        Arrays.copyOfRange(labels, a, b), Arrays.copyOfRange(classes, a, b), Arrays.copyOfRange(exemplars, a, b),
        Arrays.copyOfRange(itemTypes, a, b));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SequenceBatch s && size == s.size && pairs == s.pairs && dim == s.dim
        && Arrays.equals(labels, s.labels) && Arrays.equals(classes, s.classes) && Arrays.equals(exemplars, s.exemplars)
        && Arrays.equals(itemTypes, s.itemTypes) && Arrays.equals(examples, s.examples);
  }

  @Override
  public int hashCode() {
    return ((Arrays.hashCode(labels) * 31 + Arrays.hashCode(classes)) * 31 + Arrays.hashCode(exemplars)) * 31
        + Arrays.hashCode(examples);
  }

  @Override
  public String toString() {
    return "SequenceBatch[size=" + size + ", pairs=" + pairs + ", dim=" + dim + "]";
  }
}
