package coopetition.transformer.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The named sweeps: each expands into valid runs, a grid can sweep presets, bad files fail with one line. */
class SweepDefinitionTest {

  @Test
  void everyBuiltInDefinitionExpandsIntoValidRuns() {
    Map<String, Integer> expected = Map.of("remedy-classes", 12, "remedy-mq", 6, "remedy-weight-decay", 9,
        "transient-12l-l2", 12, "transient-12l-classes", 12, "quick-12l-l2", 6, "quick-mlp-l2", 6, "quick-mlp3-l2", 6);
    for (String name : SweepDefinition.NAMES) {
      SweepDefinition d = SweepDefinition.byName(name);
      assertFalse(d.description().isBlank(), name + " has a description line");
      List<SweepRun> runs = d.spec(List.of(), List.of(0, 1, 2)).runs();
      assertEquals(expected.get(name), runs.size(), name);
      assertEquals("3", d.seeds(), name + ": the remedies and the paper's sweeps ask for three seed sets");
    }
  }

  @Test
  void theTwelveLayerSweepsUseTheTwentyTwentyThreeModel() {
    SweepRun run = SweepDefinition.byName("transient-12l-l2").spec(List.of(), List.of(0)).runs().get(3);
    assertEquals("1e-3", run.settings().get("weight_decay"));
    assertEquals("12", run.settings().get("depth"));
    assertEquals("4", run.settings().get("mlp_ratio"));
    assertEquals("sinusoidal", run.settings().get("positional"));
    assertEquals("8", run.settings().get("context_len"));
    assertEquals("3", run.settings().get("burstiness"));
    assertEquals("1600", run.settings().get("classes"));
  }

  @Test
  void aGridOverPresetsStartsEachRunFromItsOwnPreset() {
    List<SweepRun> runs = SweepDefinition.byName("remedy-weight-decay").spec(List.of("train_seqs=6400"), List.of(0))
        .runs();
    Map<String, String> decay = runs.stream().collect(Collectors.toMap(SweepRun::preset,
        r -> r.settings().get("weight_decay") + " " + r.settings().get("weight_decay_mode")));
    assertEquals(Map.of("quick", "0 penalty", "weight-decay", "1e-4 penalty", "weight-decay-adamw", "0.1 decoupled"),
        decay);
    assertEquals("preset-weight-decay_s0", runs.get(1).id());
    for (SweepRun r : runs) {
      assertTrue(r.assignments().stream().noneMatch(a -> a.startsWith("preset=")), "preset is not a --set: " + r);
      assertEquals("6400", r.settings().get("train_seqs"), "extra settings apply to every preset");
    }
  }

  @Test
  void badDefinitionsAndPresetAsASettingFailWithOneLineNamingTheField() {
    UserInputException unknown = assertThrows(UserInputException.class, () -> SweepDefinition.byName("nope"));
    assertEquals("def", unknown.field().orElseThrow());
    assertTrue(unknown.getMessage().contains("remedy-classes"), unknown.getMessage());
    UserInputException key = assertThrows(UserInputException.class,
        () -> SweepDefinition.parse("x", "# x\npreset = quick\ngrids = lr=1e-3\n", "x.conf"));
    assertTrue(key.getMessage().contains("x.conf line 3") && key.getMessage().contains("grids"), key.getMessage());
    assertThrows(UserInputException.class, () -> SweepDefinition.parse("x", "# x\ngrid = lr=1e-3\n", "x.conf"));
    UserInputException badPreset = assertThrows(UserInputException.class,
        () -> SweepDefinition.parse("x", "# x\npreset = quick\ngrid = preset=quick,nope\n", "x.conf").spec(List.of(),
            List.of(0)));
    assertTrue(badPreset.getMessage().contains("nope"), badPreset.getMessage());
    UserInputException asSet = assertThrows(UserInputException.class,
        () -> new SweepSpec("quick", List.of("preset=mq"), List.of(), List.of(0)));
    assertEquals("set", asSet.field().orElseThrow());
    assertFalse(asSet.getMessage().contains("\n"));
  }
}
