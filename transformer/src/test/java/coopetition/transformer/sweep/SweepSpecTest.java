package coopetition.transformer.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Grid expansion, seed sets and the bad-input lines of a sweep definition. */
class SweepSpecTest {

  private static SweepSpec spec(List<String> grid, List<Integer> seeds) {
    return new SweepSpec("quick", List.of("train_seqs=6400", "eval_every=3200"), grid.stream().map(GridAxis::parse).toList(), seeds);
  }

  @Test
  void expandsEveryGridPointTimesEverySeedSetFirstAxisOutermost() {
    List<SweepRun> runs = spec(List.of("classes=4096,8192", "lr=1e-3,3e-4"), List.of(0, 2)).runs();
    assertEquals(8, runs.size());
    assertEquals("classes-4096_lr-1e-3_s0", runs.get(0).id());
    assertEquals("classes-4096_lr-1e-3_s2", runs.get(1).id());
    assertEquals("classes-4096_lr-3e-4_s0", runs.get(2).id());
    assertEquals("classes-8192_lr-3e-4_s2", runs.get(7).id());
    for (int i = 0; i < runs.size(); i++) {
      assertEquals(i, runs.get(i).index());
    }
    SweepRun last = runs.get(7);
    assertEquals(Map.of("classes", "8192", "lr", "3e-4"), last.point());
    assertEquals("8192", last.settings().get("classes"));
    assertEquals("6400", last.settings().get("train_seqs"));
    assertEquals("64", last.settings().get("dim"), "the preset's own settings stay");
    assertEquals(6400, last.finalSeqs());
  }

  @Test
  void seedSetZeroIsThePresetsSeedsAndSetIFollowsTheRule() {
    List<SweepRun> runs = spec(List.of(), List.of(0, 1, 2)).runs();
    assertEquals("s0", runs.get(0).id());
    assertEquals(List.of("5", "2", "1", "0"), seeds(runs.get(0)));
    assertEquals(List.of("11", "12", "13", "1"), seeds(runs.get(1)), "s1 as the hand-run seed set of REPRODUCTION");
    assertEquals(List.of("21", "22", "23", "2"), seeds(runs.get(2)));
    assertTrue(runs.get(1).assignments().contains("init_seed=11"));
  }

  private static List<String> seeds(SweepRun r) {
    return List.of(r.settings().get("init_seed"), r.settings().get("train_seed"), r.settings().get("eval_seed"),
        r.settings().get("bank_seed"));
  }

  @Test
  void finalSeqsRoundsUpToWholeBatches() {
    SweepSpec s = new SweepSpec("quick", List.of("train_seqs=1000", "batch=32"), List.of(), List.of(0));
    assertEquals(1024, s.runs().get(0).finalSeqs());
  }

  @Test
  void valuesThatAreNotSafeFileNamesBecomeSafeIds() {
    assertEquals("bank-file_data_x.h5_s3", SweepSpec.runId(Map.of("bank", "file:data/x.h5"), new SeedSet(3)));
  }

  @Test
  void badDefinitionsAreOneLineNamingTheField() {
    UserInputException unknown = assertThrows(UserInputException.class, () -> spec(List.of("classez=1,2"), List.of(0)));
    assertEquals("grid", unknown.field().orElseThrow());
    assertTrue(unknown.problem().startsWith("unknown setting 'classez'; did you mean classes"), unknown.problem());
    UserInputException empty = assertThrows(UserInputException.class, () -> GridAxis.parse("classes="));
    assertEquals("grid", empty.field().orElseThrow());
    assertTrue(empty.problem().contains("empty grid"), empty.problem());
    assertThrows(UserInputException.class, () -> GridAxis.parse("=1,2"));
    assertThrows(UserInputException.class, () -> GridAxis.parse("classes=1,1"));
    assertTrue(assertThrows(UserInputException.class, () -> spec(List.of("init_seed=1,2"), List.of(0))).problem()
        .contains("--seeds"));
    assertTrue(assertThrows(UserInputException.class, () -> spec(List.of("threads=1,2"), List.of(0))).problem()
        .contains("--threads"));
    assertThrows(UserInputException.class, () -> spec(List.of("lr=1,2", "lr=3"), List.of(0)));
    assertEquals("seeds", assertThrows(UserInputException.class, () -> spec(List.of(), List.of())).field().orElseThrow());
    assertThrows(UserInputException.class, () -> spec(List.of(), List.of(1, 1)));
    UserInputException badValue = assertThrows(UserInputException.class, () -> spec(List.of("classes=abc"), List.of(0)).runs());
    assertTrue(badValue.getMessage().startsWith("run classes-abc_s0: "), badValue.getMessage());
    assertThrows(UserInputException.class, () -> new SweepSpec("nope", List.of(), List.of(), List.of(0)));
  }
}
