package coopetition.comparison.runs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvRunReaderTest {
  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  @Test
  void readsMetricsRunWithSparseEvalColumns() throws IOException {
    Path run = dir.resolve("run");
    Files.createDirectories(run);
    Files.writeString(run.resolve("metrics.csv"), String.join("\n",
        "seqs,step,train_loss,icl_loss,ciwl_loss",
        "0,0,9.5,9.4,9.6",
        "32,1,9.3,,",
        "64,2,9.1,9.0,9.2",
        "96,3,8.7,8.8,8.9", ""));
    Files.writeString(run.resolve("config.json"), "{\"lr\": 1e-5}");
    RunData d = RunReaders.open(run, "ignored");
    assertEquals("metrics.csv", d.format());
    assertEquals(1e-5, d.config().get("lr").asDouble());
    assertArrayEquals(new double[] {0, 32, 64, 96}, d.curve("train_loss").x());
    // Empty cells are "not evaluated at this row", not errors.
    assertArrayEquals(new double[] {0, 64, 96}, d.curve("icl_loss").x());
    assertArrayEquals(new double[] {9.4, 9.0, 8.8}, d.curve("icl_loss").y());
  }

  @Test
  void readsAnyCsvWithANamedSequencesColumn() throws IOException {
    Path p = write("curves.csv", "sequences,a\n10,1\n20,0.5\n30,0.25\n");
    RunData d = RunReaders.open(p, "sequences");
    assertEquals("csv", d.format());
    assertArrayEquals(new double[] {1, 0.5, 0.25}, d.curve("a").y());
  }

  @Test
  void missingSequencesColumnNamesFileAndLine() throws IOException {
    Path p = write("c.csv", "step,a\n1,2\n2,3\n");
    UserInputException e = assertThrows(UserInputException.class, () -> CsvRunReader.read(p, "seqs"));
    assertTrue(e.getMessage().contains("c.csv: line 1") && e.getMessage().contains("'seqs'"), e.getMessage());
  }

  @Test
  void nonNumericCellNamesLineAndColumnOnlyWhenUsed() throws IOException {
    Path p = write("c.csv", "seqs,a,b\n0,1,1\n1,oops,2\n2,3,3\n");
    RunData d = CsvRunReader.read(p, "seqs");
    assertArrayEquals(new double[] {1, 2, 3}, d.curve("b").y()); // the broken column does not block others
    UserInputException e = assertThrows(UserInputException.class, () -> d.curve("a"));
    assertTrue(e.getMessage().contains("c.csv: line 3, column 'a'") && e.getMessage().contains("not a number"),
        e.getMessage());
  }

  @Test
  void nanAndInfinityAreErrors() throws IOException {
    Path p = write("c.csv", "seqs,a,b\n0,1,1\n1,2,2\n2,NaN,inf\n");
    RunData d = CsvRunReader.read(p, "seqs");
    assertTrue(assertThrows(UserInputException.class, () -> d.curve("a")).getMessage()
        .contains("line 4, column 'a': 'NaN' is not finite"));
    assertTrue(assertThrows(UserInputException.class, () -> d.curve("b")).getMessage()
        .contains("line 4, column 'b'"));
  }

  @Test
  void emptyAndOnePointCurvesAreErrors() throws IOException {
    Path p = write("c.csv", "seqs,a,b\n0,1,\n1,,\n");
    RunData d = CsvRunReader.read(p, "seqs");
    assertTrue(assertThrows(UserInputException.class, () -> d.curve("a")).getMessage().contains("has 1 value"));
    assertTrue(assertThrows(UserInputException.class, () -> d.curve("b")).getMessage().contains("has 0 value"));
    UserInputException e = assertThrows(UserInputException.class, () -> d.curve("zzz"));
    assertTrue(e.getMessage().contains("no column 'zzz'") && e.getMessage().contains("a, b"), e.getMessage());
  }

  @Test
  void sequencesMustIncreaseAndRowsMustBeComplete() throws IOException {
    Path p = write("c.csv", "seqs,a\n0,1\n5,2\n5,3\n");
    assertTrue(assertThrows(UserInputException.class, () -> CsvRunReader.read(p, "seqs")).getMessage()
        .contains("line 4, column 'seqs'"));
    Path q = write("d.csv", "seqs,a\n0,1\n5\n");
    assertTrue(assertThrows(UserInputException.class, () -> CsvRunReader.read(q, "seqs")).getMessage()
        .contains("d.csv: line 3: 1 cells"));
    Path r = write("e.csv", "seqs,a\n0,1\nx,2\n");
    assertTrue(assertThrows(UserInputException.class, () -> CsvRunReader.read(r, "seqs")).getMessage()
        .contains("e.csv: line 3, column 'seqs'"));
  }

  @Test
  void missingPathsAreUserErrors() {
    assertThrows(UserInputException.class, () -> RunReaders.open(dir.resolve("nope"), "seqs"));
    assertThrows(UserInputException.class, () -> RunReaders.open(dir, "seqs")); // no metrics.csv, no log.h5
  }
}
