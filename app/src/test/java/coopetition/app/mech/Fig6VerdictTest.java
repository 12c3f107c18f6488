package coopetition.app.mech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.figures.FigureWriter;
import coopetition.transformer.mech.Claims;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fig 6's verdict is computed from the committed reference runs, and changes when their curves do. */
class Fig6VerdictTest {
  static final Path REFERENCE = Path.of("").toAbsolutePath().getParent().resolve("reference-runs");

  @Test
  void theCommittedRemediesPassAllThreeChecks(@TempDir Path out) {
    Claims.Row row = OtherFigures.fig6(REFERENCE, out, Set.of(FigureWriter.Format.PNG));
    assertEquals(Claims.Verdict.HOLDS, row.verdict(), row.measured());
    assertTrue(row.measured().contains("mq ends above normal: yes"), row.measured());
    assertTrue(Files.isRegularFile(out.resolve("fig6.png")));
  }

  @Test
  void anMqRunThatEndsLikeItsNormalTwinMakesItPartly(@TempDir Path tmp) throws IOException {
    Path refs = tmp.resolve("refs");
    for (String name : OtherFigures.REMEDY_RUNS) {
      Files.createDirectories(refs.resolve(name));
      String source = name.equals("mq") ? "mq-normal" : name;
      Files.copy(REFERENCE.resolve(source).resolve("metrics.csv"), refs.resolve(name).resolve("metrics.csv"),
          StandardCopyOption.REPLACE_EXISTING);
    }
    Claims.Row row = OtherFigures.fig6(refs, tmp, Set.of(FigureWriter.Format.PNG));
    assertEquals(Claims.Verdict.PARTLY, row.verdict(), row.measured());
    assertTrue(row.measured().contains("mq ends above normal: no"), row.measured());
  }
}
