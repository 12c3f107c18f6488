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
    // a grid that drops a value is another sweep
    assertThrows(UserInputException.class, () -> SweepManifest.openOrCreate(dir, spec("1e-3,3e-4")));
    // a value put first still extends it: the earlier runs keep their numbers, the new ones come after
    SweepManifest first = SweepManifest.openOrCreate(dir, spec("3e-5,1e-3,3e-4,1e-4"));
    assertEquals(grown.runs(), first.runs().subList(0, 6));
    assertEquals(List.of("lr-3e-5_s0", "lr-3e-5_s1"), first.runs().subList(6, 8).stream().map(SweepRun::id).toList());
  }

  @Test
  void seedSetsAddedToAGridKeepEveryRunsIndexAcrossReads(@TempDir Path dir) {
    SweepManifest m = SweepManifest.openOrCreate(dir,
        new SweepSpec("quick", List.of(), List.of(GridAxis.parse("lr=1e-3,3e-4")), List.of(0)));
    m.write(Map.of());
    SweepSpec more = new SweepSpec("quick", List.of(), List.of(GridAxis.parse("lr=1e-3,3e-4")), List.of(0, 1));
    assertEquals(List.of("lr-1e-3_s0", "lr-1e-3_s1", "lr-3e-4_s0", "lr-3e-4_s1"),
        more.runs().stream().map(SweepRun::id).toList(), "in grid order the seed sets sit inside each point");
    SweepManifest grown = SweepManifest.openOrCreate(dir, more);
    List<String> expected = List.of("lr-1e-3_s0", "lr-3e-4_s0", "lr-1e-3_s1", "lr-3e-4_s1");
    assertEquals(expected, grown.runs().stream().map(SweepRun::id).toList(), "earlier runs first, new ones after");
    for (int i = 0; i < 4; i++) {
      assertEquals(i, grown.runs().get(i).index());
    }
    grown.write(Map.of());
    assertEquals(expected, SweepManifest.read(dir).runs().stream().map(SweepRun::id).toList(), "the order survives a read");
    assertEquals(expected, SweepManifest.openOrCreate(dir, more).runs().stream().map(SweepRun::id).toList());
  }
}
