package coopetition.comparison.runs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthorsLogReaderTest {
  @TempDir Path dir;

  /** A log.h5 laid out like icl-dynamics' main.py writes it (written with jhdf). */
  private Path writeLog(String name, double badValue) {
    Path p = dir.resolve(name);
    try (WritableHdfFile f = HdfFile.write(p)) {
      f.putDataset("eval_iter", new long[] {0, 100_000, 200_000});
      f.putDataset("train_iter", new double[] {32, 64, 96, 128});
      f.putDataset("train_loss", new double[] {9.5, 9.4, 9.2, 9.0});
      WritableGroup icl = f.putGroup("icl");
      icl.putDataset("loss", new double[][] {{9, 11}, {8, 6}, {1, badValue}});
      icl.putDataset("in_context_acc", new float[][] {{0.5f, 0.5f}, {1, 0.5f}, {1, 1}});
      WritableGroup ciwl = f.putGroup("iwl_copy_avail");
      ciwl.putDataset("loss", new double[][] {{10, 10}, {7, 9}, {4, 4}});
    }
    return p;
  }

  @Test
  void readsEvaluatorMeansWithProjectNames() {
    RunData d = RunReaders.open(writeLog("log.h5", 3), "ignored");
    assertEquals("log.h5", d.format());
    Curve icl = d.curve("icl_loss");
    assertArrayEquals(new double[] {0, 100_000, 200_000}, icl.x());
    assertArrayEquals(new double[] {10, 7, 2}, icl.y(), 1e-12); // mean over sequences
    assertArrayEquals(new double[] {0.5, 0.75, 1}, d.curve("icl_in_context_acc").y(), 1e-7);
    assertArrayEquals(new double[] {10, 8, 4}, d.curve("ciwl_loss").y(), 1e-12); // iwl_copy_avail -> ciwl
    assertArrayEquals(new double[] {32, 64, 96, 128}, d.curve("train_loss").x());
  }

  @Test
  void runDirectoryWithLogH5IsFound() throws IOException {
    Path run = dir.resolve("run");
    Files.createDirectories(run);
    Files.move(writeLog("x.h5", 3), run.resolve("log.h5"));
    assertEquals(3, RunReaders.open(run, "seqs").curve("ciwl_loss").size());
  }

  @Test
  void nanNamesDatasetAndRow() {
    RunData d = AuthorsLogReader.read(writeLog("nan.h5", Double.NaN));
    UserInputException e = assertThrows(UserInputException.class, () -> d.curve("icl_loss"));
    assertTrue(e.getMessage().contains("nan.h5: dataset 'icl/loss', evaluation row 2"), e.getMessage());
    assertEquals(3, d.curve("ciwl_loss").size()); // other curves still usable
  }

  @Test
  void shapeMismatchAndForeignFilesAreErrors() throws IOException {
    Path p = dir.resolve("bad.h5");
    try (WritableHdfFile f = HdfFile.write(p)) {
      f.putDataset("eval_iter", new long[] {0, 1});
      f.putGroup("icl").putDataset("loss", new double[][] {{1}, {2}, {3}});
    }
    RunData d = AuthorsLogReader.read(p);
    assertTrue(assertThrows(UserInputException.class, () -> d.curve("icl_loss")).getMessage()
        .contains("dataset 'icl/loss' has shape [3, 1]"));
    Path noEval = dir.resolve("noeval.h5");
    try (WritableHdfFile f = HdfFile.write(noEval)) {
      f.putDataset("something", new double[] {1, 2});
    }
    assertTrue(assertThrows(UserInputException.class, () -> AuthorsLogReader.read(noEval)).getMessage()
        .contains("no dataset 'eval_iter'"));
    Path text = Files.writeString(dir.resolve("log.h5"), "not hdf5");
    assertTrue(assertThrows(UserInputException.class, () -> AuthorsLogReader.read(text)).getMessage()
        .contains("not a readable HDF5 log"));
  }
}
