package coopetition.transformer.data;

import coopetition.common.UserInputException;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads a feature bank from HDF5 with jhdf (pure Java, so no native HDF5 install is needed). The
 * authors' files keep the features at {@code resnet18/224/feat}, shape {@code [classes, exemplars, 512]}.
 */
public final class Hdf5 {
  /** Dataset path the authors' feature extractor writes (main_utils.py:103). */
  public static final String DEFAULT_DATASET = "resnet18/224/feat";

  private Hdf5() {}

  public static DenseBank read(Path file, String datasetPath) {
    if (!Files.isRegularFile(file)) {
      throw new UserInputException("feature bank file " + file + " does not exist; check the path after file:");
    }
    String where = file + "#" + datasetPath;
    try (HdfFile hdf = new HdfFile(file)) {
      Node node;
      try {
        node = hdf.getByPath(datasetPath);
      } catch (RuntimeException e) {
        throw new UserInputException("HDF5 file " + file + " has no dataset '" + datasetPath
            + "'; name it after '#' (file:PATH#group/dataset)");
      }
      if (!(node instanceof Dataset ds)) {
        throw new UserInputException("'" + datasetPath + "' in " + file + " is a group, not a dataset; name the dataset after '#'");
      }
      int[] dims = ds.getDimensions();
      if (dims.length != 3) {
        throw new UserInputException("dataset " + where + " has shape " + Arrays.toString(dims)
            + "; a feature bank must be 3-D [classes, exemplars, dim]");
      }
      long total = (long) dims[0] * dims[1] * dims[2];
      if (total <= 0 || total > Integer.MAX_VALUE - 8) {
        throw new UserInputException("dataset " + where + " has " + total + " elements; need 1..2^31");
      }
      Class<?> type = ds.getJavaType();
      float[] data;
      String typeName;
      if (type == float.class) {
        data = (float[]) ds.getDataFlat();
        typeName = "float32";
      } else if (type == double.class) {
        double[] d = (double[]) ds.getDataFlat();
        data = new float[d.length];
        for (int i = 0; i < d.length; i++) {
          data[i] = (float) d[i];
        }
        typeName = "float64";
      } else {
        throw new UserInputException("dataset " + where + " holds " + type.getSimpleName()
            + "; a feature bank must be float32 or float64");
      }
      String desc = String.format(Locale.ROOT, "hdf5:%s [%d, %d, %d] %s", where, dims[0], dims[1], dims[2], typeName);
      return new DenseBank(data, dims[0], dims[1], dims[2], desc);
    } catch (UserInputException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new UserInputException("cannot read HDF5 feature bank " + where + ": " + oneLine(e)
          + "; check that it is a valid HDF5 file");
    }
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replaceAll("\\s+", " ");
  }
}
