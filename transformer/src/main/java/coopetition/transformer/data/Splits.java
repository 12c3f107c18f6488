package coopetition.transformer.data;

import coopetition.common.UserInputException;
import java.util.Arrays;

/**
 * The authors' class and exemplar splits (main_utils.py:153-167): {@code [train, val, test]} counts of
 * consecutive indices along the class axis and the exemplar axis. Train classes are {@code 0..train-1},
 * val the next {@code val}, test the rest; the sums must equal the bank's shape.
 */
public record Splits(int[] classSplit, int[] exemplarSplit) {

  public enum Part { TRAIN, VAL, TEST }

  public Splits {
    classSplit = checkSplit(classSplit, "class");
    exemplarSplit = checkSplit(exemplarSplit, "exemplar");
  }

  /** Everything is training data: {@code [K, 0, 0]} and {@code [E, 0, 0]}. */
  public static Splits allTrain(FeatureBank bank) {
    return new Splits(new int[] {bank.numClasses(), 0, 0}, new int[] {bank.numExemplars(), 0, 0});
  }

  /** Parses {@code "12800,0,184"} style lists (spaces and brackets allowed). */
  public static Splits parse(String classSplit, String exemplarSplit) {
    return new Splits(parseTriple(classSplit, "class"), parseTriple(exemplarSplit, "exemplar"));
  }

  /** Throws a one-line {@link UserInputException} unless the sums equal the bank's shape. */
  public Splits checkAgainst(FeatureBank bank) {
    int cs = Arrays.stream(classSplit).sum();
    int es = Arrays.stream(exemplarSplit).sum();
    UserInputException.require(cs == bank.numClasses(), "class split " + Arrays.toString(classSplit) + " sums to " + cs
        + " but " + bank.describe() + " has " + bank.numClasses() + " classes; give a class split summing to " + bank.numClasses());
    UserInputException.require(es == bank.numExemplars(), "exemplar split " + Arrays.toString(exemplarSplit) + " sums to " + es
        + " but " + bank.describe() + " has " + bank.numExemplars() + " exemplars per class; give an exemplar split summing to "
        + bank.numExemplars());
    return this;
  }

  public int[] classes(Part part) {
    return range(classSplit, part);
  }

  public int[] exemplars(Part part) {
    return range(exemplarSplit, part);
  }

  public int numTrainClasses() {
    return classSplit[0];
  }

  @Override
  public int[] classSplit() {
    return classSplit.clone();
  }

  @Override
  public int[] exemplarSplit() {
    return exemplarSplit.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Splits s && Arrays.equals(classSplit, s.classSplit) && Arrays.equals(exemplarSplit, s.exemplarSplit);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(classSplit) + Arrays.hashCode(exemplarSplit);
  }

  @Override
  public String toString() {
    return "Splits[class=" + Arrays.toString(classSplit) + ", exemplar=" + Arrays.toString(exemplarSplit) + "]";
  }

  private static int[] range(int[] split, Part part) {
    int start = 0;
    for (int i = 0; i < part.ordinal(); i++) {
      start += split[i];
    }
    int[] out = new int[split[part.ordinal()]];
    for (int i = 0; i < out.length; i++) {
      out[i] = start + i;
    }
    return out;
  }

  /** A checked copy of one {@code [train, val, test]} triple; {@code axis} ("class", "exemplar") words the error. */
  public static int[] checkSplit(int[] split, String axis) {
    UserInputException.require(split != null && split.length == 3,
        axis + " split must have 3 entries [train, val, test], got " + (split == null ? "none" : Arrays.toString(split)) + "; give e.g. 12800,0,184");
    for (int v : split) {
      UserInputException.require(v >= 0, axis + " split " + Arrays.toString(split) + " has a negative entry; give counts >= 0");
    }
    UserInputException.require(split[0] >= 1, axis + " split " + Arrays.toString(split) + " has no training entries; make the first count >= 1");
    return split.clone();
  }

  /** Parses one {@code "12800,0,184"} triple (unchecked; see {@link #checkSplit}). */
  public static int[] parseTriple(String s, String axis) {
    UserInputException.require(s != null, axis + " split missing; give e.g. 12800,0,184");
    String[] parts = s.replaceAll("[\\[\\]\\s]", "").split(",");
    UserInputException.require(parts.length == 3, axis + " split '" + s + "' must have 3 comma-separated counts [train,val,test]; give e.g. 12800,0,184");
    int[] out = new int[3];
    for (int i = 0; i < 3; i++) {
      try {
        out[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw new UserInputException(axis + " split '" + s + "' has a non-integer entry '" + parts[i] + "'; give e.g. 12800,0,184");
      }
    }
    return out;
  }
}
