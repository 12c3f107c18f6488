package coopetition.app.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./coop train compare}: overlays runs from their metrics.csv alone. */
class CompareCommandTest {

  /** A metrics.csv with the real header and two rows; only the columns the figure reads matter. */
  private static Path run(Path dir, double flip) throws Exception {
    Files.createDirectories(dir);
    java.util.List<String> cols = new coopetition.transformer.train.MetricsLog(dir.resolve("metrics.csv"),
        java.util.List.of(coopetition.transformer.eval.Evaluator.values())).columns();
    StringBuilder sb = new StringBuilder(String.join(",", cols)).append('\n');
    for (int r = 0; r < 2; r++) {
      for (int i = 0; i < cols.size(); i++) {
        sb.append(i == 0 ? "" : ",").append(i == 0 ? Integer.toString(r * 1000) : i == 1 ? Integer.toString(r * 10)
            : cols.get(i).equals("flip_in_context_acc") ? Double.toString(flip * r) : "0.5");
      }
      sb.append('\n');
    }
    Files.writeString(dir.resolve("metrics.csv"), sb.toString());
    return dir;
  }

  @Test
  void writesOneFigureForSeveralRuns(@TempDir Path tmp) throws Exception {
    Path a = run(tmp.resolve("a"), 0.9);
    Path b = run(tmp.resolve("b"), 0.1);
    int code = new CommandLine(new CompareCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(a.toString(), b.toString(), "--labels", "base,remedy",
        "--out", tmp.resolve("fig").toString());
    assertEquals(0, code);
    BufferedImage img = ImageIO.read(tmp.resolve("fig").resolve("compare.png").toFile());
    assertTrue(img.getWidth() > 2 * img.getHeight(), "three panels side by side");
    assertTrue(Files.isRegularFile(tmp.resolve("fig").resolve("compare.svg")));
  }

  @Test
  void mismatchedLabelsOrAMissingRunAreOneClearError(@TempDir Path tmp) throws Exception {
    Path a = run(tmp.resolve("a"), 0.9);
    CompareCommand c = new CompareCommand();
    new CommandLine(c).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(a.toString(), "--labels", "x,y", "--out", tmp.resolve("f").toString());
    UserInputException e = assertThrows(UserInputException.class, c::run);
    assertEquals("--labels has 2 names for 1 runs; give one per run", e.getMessage());
    CompareCommand d = new CompareCommand();
    new CommandLine(d).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(tmp.resolve("nope").toString(), "--out", tmp.resolve("f").toString());
    assertTrue(assertThrows(UserInputException.class, d::run).getMessage().startsWith("no "));
    assertFalse(Files.exists(tmp.resolve("f")), "nothing written on bad input");
  }
}
