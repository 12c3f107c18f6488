package coopetition.comparison.runs;

import coopetition.common.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Opens a run by what the path is: a metrics.csv run directory, a log.h5, or any CSV. */
public final class RunReaders {
  private RunReaders() {}

  /**
   * @param path a directory with metrics.csv (or log.h5), a .h5/.hdf5 file, or a .csv file
   * @param xColumn the sequences column of a plain CSV (ignored for the other formats)
   */
  public static RunData open(Path path, String xColumn) {
    if (Files.isDirectory(path)) {
      if (Files.isRegularFile(path.resolve("metrics.csv"))) {
        return MetricsRunReader.read(path);
      }
      if (Files.isRegularFile(path.resolve("log.h5"))) {
        return AuthorsLogReader.read(path.resolve("log.h5"));
      }
      throw new UserInputException(path + " holds neither metrics.csv nor log.h5; give a run directory or a file");
    }
    if (!Files.exists(path)) {
      throw new UserInputException(path + " does not exist; give a run directory, a .csv or a log.h5");
    }
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
      return AuthorsLogReader.read(path);
    }
    if (name.equals("metrics.csv")) {
      return MetricsRunReader.read(path.toAbsolutePath().getParent());
    }
    return CsvRunReader.read(path, xColumn);
  }
}
