package coopetition.transformer.data;

import coopetition.common.UserInputException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which feature bank a run uses, as given on the command line: {@code synthetic}, or
 * {@code file:PATH[#dataset]} for {@code .h5/.hdf5} (dataset defaults to {@value Hdf5#DEFAULT_DATASET})
 * and {@code .npy} files.
 *
 * @param path null for synthetic
 * @param dataset HDF5 dataset path; null unless HDF5
 */
public record BankSpec(Kind kind, Path path, String dataset) {

  public enum Kind { SYNTHETIC, HDF5, NPY }

  private static final String HELP = "give 'synthetic' or 'file:PATH[#dataset]' with a .h5, .hdf5 or .npy file";

  public BankSpec {
    if (kind != Kind.SYNTHETIC && path == null) {
      throw new IllegalArgumentException("a file bank needs a path");
    }
  }

  public static BankSpec parse(String spec) {
    UserInputException.require(spec != null && !spec.isBlank(), "empty bank spec; " + HELP);
    String s = spec.trim();
    if (s.equalsIgnoreCase("synthetic")) {
      return new BankSpec(Kind.SYNTHETIC, null, null);
    }
    if (!s.startsWith("file:")) {
      throw new UserInputException("unknown bank spec '" + spec + "'; " + HELP);
    }
    String rest = s.substring("file:".length());
    String dataset = null;
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      dataset = rest.substring(hash + 1);
      rest = rest.substring(0, hash);
      UserInputException.require(!dataset.isBlank(), "bank spec '" + spec + "' has an empty dataset after '#'; name it or drop the '#'");
    }
    UserInputException.require(!rest.isBlank(), "bank spec '" + spec + "' has no path; " + HELP);
    String lower = rest.toLowerCase(Locale.ROOT);
    Path path = Path.of(rest);
    if (lower.endsWith(".h5") || lower.endsWith(".hdf5")) {
      return new BankSpec(Kind.HDF5, path, dataset == null ? Hdf5.DEFAULT_DATASET : dataset);
    }
    if (lower.endsWith(".npy")) {
      UserInputException.require(dataset == null, "bank spec '" + spec + "' names a dataset, but .npy files hold one array; drop the '#" + dataset + "'");
      return new BankSpec(Kind.NPY, path, null);
    }
    throw new UserInputException("bank file '" + rest + "' has an unknown extension; " + HELP);
  }

  /** Opens the bank; {@code synthetic} is used only for {@link Kind#SYNTHETIC}. */
  public FeatureBank open(SyntheticBank.Config synthetic) {
    return switch (kind) {
      case SYNTHETIC -> new SyntheticBank(synthetic);
      case HDF5 -> Hdf5.read(path, dataset);
      case NPY -> Npy.read(path);
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case SYNTHETIC -> "synthetic";
      case HDF5 -> "file:" + path + "#" + dataset;
      case NPY -> "file:" + path;
    };
  }
}
