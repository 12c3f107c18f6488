package coopetition.transformer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import coopetition.transformer.train.Presets;
import coopetition.transformer.model.PositionalEncoding;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void unknownKeyNamesCloseMatchesOnOneLine() {
    UserInputException e = assertThrows(UserInputException.class, () -> Settings.defaults().withAssignment("lrate=1e-3"));
    assertTrue(e.getMessage().contains("unknown setting 'lrate'"), e.getMessage());
    assertTrue(e.getMessage().contains("lr"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    UserInputException c = assertThrows(UserInputException.class, () -> Settings.defaults().with("clases", "5"));
    assertTrue(c.getMessage().contains("did you mean classes"), c.getMessage());
    assertThrows(UserInputException.class, () -> Settings.defaults().withAssignment("noequals"));
  }

  @Test
  void unknownPresetListsThePresets() {
    UserInputException e = assertThrows(UserInputException.class, () -> Presets.byName("quik"));
    assertTrue(e.getMessage().contains("quick") && e.getMessage().contains("paper-main"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void badValuesAreOneClearLine() {
    for (Map.Entry<String, String> bad : Map.of("lr", "fast", "batch", "2.5", "positional", "spiral", "mq", "maybe",
        "train_data", "both", "device", "tpu", "beta1", "1.5").entrySet()) {
      UserInputException e = assertThrows(UserInputException.class,
          () -> RunConfig.from(Settings.defaults().with(bad.getKey(), bad.getValue())), bad.toString());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
    UserInputException seeds = assertThrows(UserInputException.class,
        () -> RunConfig.from(Settings.defaults().with("train_seed", "5")));
    assertTrue(seeds.getMessage().contains("must all differ"), seeds.getMessage());
  }

  @Test
  void paperDefaultsAreTheAuthorsMainRun() {
    RunConfig c = RunConfig.from(Presets.byName("paper-main").settings());
    assertEquals(12800, c.synthetic().classes());
    assertEquals(20, c.synthetic().exemplars());
    assertEquals(512, c.synthetic().dim());
    assertEquals(1e-5, c.adam().lr());
    assertEquals(32, c.schedule().batch());
    assertEquals(20_000_000, c.schedule().trainSeqs());
    assertEquals(100_000, c.schedule().evalEvery());
    assertEquals(5000, c.evalSeqs());
    assertEquals(new Seeds(5, 2, 1), c.seeds());
    assertEquals(PositionalEncoding.LEARNED, c.architecture().positional());
    assertEquals(0, c.architecture().mlpRatio());
    assertEquals(2, c.contextLength());
    assertEquals(1, c.burstiness());
  }

  /** Every parsed component of a config except the raw settings it came from. */
  static String parsed(RunConfig c) {
    StringBuilder sb = new StringBuilder();
    for (var comp : RunConfig.class.getRecordComponents()) {
      if (!comp.getName().equals("settings")) {
        try {
          sb.append(comp.getName()).append('=').append(comp.getAccessor().invoke(c)).append(';');
        } catch (ReflectiveOperationException ex) {
          throw new AssertionError(ex);
        }
      }
    }
    return sb.toString();
  }

  @Test
  void everyKeyReachesTheParsedConfig() {
    Map<String, String> changes = Map.ofEntries(Map.entry("bank", "file:x.npy"), Map.entry("classes", "100"),
        Map.entry("exemplars", "3"), Map.entry("dim", "7"), Map.entry("eps", "0.5"), Map.entry("bank_seed", "3"),
        Map.entry("class_split", "90,10,0"), Map.entry("exemplar_split", "3,0,0"), Map.entry("train_data", "icl_only"),
        Map.entry("context_len", "4"), Map.entry("burstiness", "2"), Map.entry("mq", "true"), Map.entry("zipf_alpha", "1"),
        Map.entry("d_model", "32"), Map.entry("heads", "4"), Map.entry("depth", "3"), Map.entry("max_seq_len", "16"),
        Map.entry("positional", "rotary"), Map.entry("sin_time", "100"), Map.entry("mlp_ratio", "4"), Map.entry("lr", "0.1"),
        Map.entry("beta1", "0.8"), Map.entry("beta2", "0.99"), Map.entry("adam_eps", "1e-6"), Map.entry("weight_decay", "0.1"),
        Map.entry("weight_decay_mode", "decoupled"), Map.entry("batch", "64"), Map.entry("train_seqs", "1000"),
        Map.entry("eval_every", "10"), Map.entry("eval_seqs", "7"), Map.entry("ckpt_every", "0"), Map.entry("init_seed", "9"),
        Map.entry("train_seed", "8"), Map.entry("eval_seed", "6"), Map.entry("threads", "1"), Map.entry("workers", "2"),
        Map.entry("device", "auto"), Map.entry("ckpt_history", "false"), Map.entry("ckpt_at", "5"),
        Map.entry("ckpt_log", "3"), Map.entry("donor", "x.bin"), Map.entry("donor_parts", "layer1"));
    assertEquals(Settings.KEYS.size(), changes.size(), "every key has a test value");
    RunConfig base = RunConfig.from(Settings.defaults());
    for (Map.Entry<String, String> e : changes.entrySet()) {
      Settings s = Settings.defaults().with(e.getKey(), e.getValue());
      if (e.getKey().equals("burstiness")) {
        s = s.with("context_len", "4"); // B = 2 with a distractor needs 2B <= L
        base = RunConfig.from(Settings.defaults().with("context_len", "4"));
      } else if (e.getKey().equals("donor")) {
        s = s.with("donor_parts", "unembed"); // a donor needs parts to freeze
        base = RunConfig.from(Settings.defaults());
      } else if (e.getKey().equals("donor_parts")) {
        s = s.with("donor", "x.bin"); // parts need a donor; compare against another part of the same donor
        base = RunConfig.from(Settings.defaults().with("donor", "x.bin").with("donor_parts", "unembed"));
      } else {
        base = RunConfig.from(Settings.defaults());
      }
      RunConfig changed = RunConfig.from(s);
      assertNotEquals(parsed(base), parsed(changed), e.getKey() + " does not reach the config");
    }
  }
}
