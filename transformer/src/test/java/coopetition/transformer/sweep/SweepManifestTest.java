package coopetition.transformer.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import coopetition.common.Json;
import coopetition.common.UserInputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sweep.json: written with every run's settings, read back as the same sweep, a different sweep refused. */
class SweepManifestTest {

  private static SweepSpec spec(String lrs) {
    return new SweepSpec("quick", List.of("train_seqs=6400"), List.of(GridAxis.parse("lr=" + lrs)), List.of(0, 1));
  }

  @Test
  void roundTripsAndRefusesADifferentSweep(@TempDir Path dir) {
    SweepManifest m = SweepManifest.openOrCreate(dir, spec("1e-3,3e-4"));
    m.executor().put("kind", "local");
    m.write(Map.of("lr-1e-3_s0", "running"));
    SweepManifest again = SweepManifest.openOrCreate(dir, spec("1e-3,3e-4"));
    assertEquals(m.spec(), again.spec());
    assertEquals("local", again.executor().get("kind").asText());
    JsonNode runs = Json.read(dir.resolve(SweepManifest.FILE)).get("runs");
    assertEquals(4, runs.size());
    assertEquals("running", runs.get(0).get("state").asText());
    assertEquals("new", runs.get(1).get("state").asText());
    assertEquals("11", runs.get(1).get("settings").get("init_seed").asText());
    assertEquals("runs/lr-1e-3_s1", runs.get(1).get("dir").asText());
    UserInputException e = assertThrows(UserInputException.class, () -> SweepManifest.openOrCreate(dir, spec("1e-3")));
    assertTrue(e.getMessage().contains("holds a different sweep (--preset quick --set train_seqs=6400 --grid"
        + " lr=1e-3,3e-4 --seeds 0,1); choose another --out"), e.getMessage());
  }

  @Test
  void aValueAppendedToTheGridExtendsTheSweepKeepingEveryRun(@TempDir Path dir) {
    SweepManifest m = SweepManifest.openOrCreate(dir, spec("1e-3,3e-4"));
    m.executor().put("kind", "local");
    m.write(Map.of("lr-1e-3_s0", "done"));
    SweepManifest grown = SweepManifest.openOrCreate(dir, spec("1e-3,3e-4,1e-4"));
    assertEquals(6, grown.runs().size());
    for (int i = 0; i < 4; i++) {
      assertEquals(m.runs().get(i), grown.runs().get(i), "run " + i + " keeps index, id and settings");
    }
    assertEquals("lr-1e-4_s1", grown.runs().get(5).id());
    assertEquals("local", grown.executor().get("kind").asText(), "the executor's record is kept");
    grown.write(Map.of());
    assertEquals(grown.spec(), SweepManifest.read(dir).spec(), "sweep.json now holds the grown sweep");
    // a value put first would renumber the runs: refused, as is a grid that drops a value
    assertThrows(UserInputException.class, () -> SweepManifest.openOrCreate(dir, spec("3e-5,1e-3,3e-4,1e-4")));
    assertThrows(UserInputException.class, () -> SweepManifest.openOrCreate(dir, spec("1e-3,3e-4")));
  }
}
