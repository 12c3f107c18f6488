package coopetition.transformer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import coopetition.transformer.model.PositionalEncoding;
import java.util.List;
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
          () -> TrainConfig.from(Settings.defaults().with(bad.getKey(), bad.getValue())), bad.toString());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
      // The error names the setting, so the app can print the flag the user typed ("--set lr: ...").
      assertEquals(bad.getKey(), e.field().orElse(null), e.getMessage());
    }
    UserInputException seeds = assertThrows(UserInputException.class,
        () -> TrainConfig.from(Settings.defaults().with("train_seed", "5")));
    assertTrue(seeds.getMessage().contains("must all differ"), seeds.getMessage());
  }

  @Test
  void paperDefaultsAreTheAuthorsMainRun() {
    TrainConfig c = TrainConfig.from(Presets.byName("paper-main").settings());
    assertEquals(12800, c.data().synthetic().classes());
    assertEquals(20, c.data().synthetic().exemplars());
    assertEquals(512, c.data().synthetic().dim());
    assertEquals(1e-5, c.adam().lr());
    assertEquals(32, c.schedule().batch());
    assertEquals(20_000_000, c.schedule().trainSeqs());
    assertEquals(100_000, c.schedule().evalEvery());
    assertEquals(5000, c.evalSeqs());
    assertEquals(new Seeds(5, 2, 1), c.seeds());
    assertEquals(PositionalEncoding.LEARNED, c.architecture().positional());
    assertEquals(0, c.architecture().mlpRatio());
    assertEquals(2, c.data().contextLength());
    assertEquals(1, c.data().burstiness());
  }

  /** Every parsed component of a config. */
  static String parsed(TrainConfig c) {
    StringBuilder sb = new StringBuilder();
    for (var comp : TrainConfig.class.getRecordComponents()) {
      {
        try {
          sb.append(comp.getName()).append('=').append(comp.getAccessor().invoke(c)).append(';');
        } catch (ReflectiveOperationException ex) {
          throw new AssertionError(ex);
        }
      }
    }
    return sb.toString();
  }

  /** A non-default value for every key (burstiness 2 needs context_len 4). */
  static final Map<String, String> CHANGES = Map.ofEntries(Map.entry("bank", "file:x.npy"), Map.entry("classes", "100"),
        Map.entry("exemplars", "3"), Map.entry("dim", "7"), Map.entry("eps", "0.5"), Map.entry("bank_seed", "3"),
        Map.entry("class_split", "90,10,0"), Map.entry("exemplar_split", "3,0,0"), Map.entry("train_data", "icl_only"),
        Map.entry("context_len", "4"), Map.entry("burstiness", "2"), Map.entry("mq", "true"), Map.entry("zipf_alpha", "1"),
        Map.entry("d_model", "32"), Map.entry("heads", "4"), Map.entry("depth", "3"), Map.entry("max_seq_len", "16"),
        Map.entry("positional", "rotary"), Map.entry("sin_time", "100"), Map.entry("mlp_ratio", "4"), Map.entry("lr", "0.1"),
        Map.entry("beta1", "0.8"), Map.entry("beta2", "0.99"), Map.entry("adam_eps", "1e-6"), Map.entry("weight_decay", "0.1"),
        Map.entry("weight_decay_mode", "decoupled"), Map.entry("batch", "64"), Map.entry("train_seqs", "1000"),
        Map.entry("eval_every", "10"), Map.entry("eval_seqs", "7"), Map.entry("ckpt_every", "0"), Map.entry("init_seed", "9"),
        Map.entry("train_seed", "8"), Map.entry("eval_seed", "6"), Map.entry("threads", "1"), Map.entry("workers", "2"),
        Map.entry("device", "auto"), Map.entry("kernels", "java"), Map.entry("ckpt_history", "false"), Map.entry("ckpt_at", "5"),
        Map.entry("ckpt_log", "3"), Map.entry("donor", "x.bin"), Map.entry("donor_parts", "layer1"),
        Map.entry("forbid", "prev_token_l2"));

  static Settings changed(String key) {
    Settings s = Settings.defaults().with(key, CHANGES.get(key));
    if (key.equals("donor")) {
      return s.with("donor_parts", "unembed"); // a donor needs parts to freeze
    }
    if (key.equals("donor_parts")) {
      return s.with("donor", "x.bin"); // parts need a donor
    }
    return key.equals("burstiness") ? s.with("context_len", "4") : s; // B = 2 with a distractor needs 2B <= L
  }

  @Test
  void everyKeyReachesTheParsedConfig() {
    Map<String, String> changes = CHANGES;
    assertEquals(Settings.KEYS.size(), changes.size(), "every key has a test value");
    TrainConfig base;
    for (Map.Entry<String, String> e : changes.entrySet()) {
      Settings s = changed(e.getKey());
      if (e.getKey().equals("burstiness")) {
        base = TrainConfig.from(Settings.defaults().with("context_len", "4"));
      } else if (e.getKey().equals("donor_parts")) {
        base = TrainConfig.from(Settings.defaults().with("donor", "x.bin").with("donor_parts", "unembed"));
      } else {
        base = TrainConfig.from(Settings.defaults());
      }
      TrainConfig changed = TrainConfig.from(s);
      assertNotEquals(parsed(base), parsed(changed), e.getKey() + " does not reach the config");
    }
  }

  @Test
  void everyKeyWritesBackTheTextItWasGivenAndParsesToTheSameConfig() {
    for (String key : CHANGES.keySet()) {
      Settings given = changed(key);
      TrainConfig c = TrainConfig.from(given);
      assertEquals(c, TrainConfig.from(c.toSettings()), key + " does not survive a round trip");
      assertEquals(given.asMap(), c.toSettings().asMap(), key + " is written back differently");
    }
    assertEquals(Settings.defaults().asMap(), TrainConfig.defaults().toSettings().asMap());
  }

  @Test
  void numbersAreWrittenAsAUserWouldTypeThem() {
    assertEquals("3e-4", SettingsCodec.text(3e-4));
    assertEquals("1e-8", SettingsCodec.text(1e-8));
    assertEquals("1.5e-4", SettingsCodec.text(1.5e-4));
    assertEquals("0.999", SettingsCodec.text(0.999));
    assertEquals("30", SettingsCodec.text(30.0));
    TrainConfig c = TrainConfig.from(Settings.defaults().with("train_seqs", "2e6").with("lr", "0.0003"));
    assertEquals("2000000", c.toSettings().asMap().get("train_seqs"));
    assertEquals("Transformer, K=12800, eps 0.1, lr 3e-4, seeds 5/2/1", c.title());
  }

  @Test
  void storedSettingsOfAnOlderVersionReadBackWithDefaultsAndUnknownKeysAreOneLine() {
    TrainConfig old = SettingsCodec.readStored(Map.of("lr", "3e-4", "classes", "6144"), "config.json");
    assertEquals(1, old.compute().workers(), "a key the run did not store takes its default");
    assertEquals(6144, old.data().synthetic().classes());
    UserInputException e = assertThrows(UserInputException.class,
        () -> SettingsCodec.readStored(Map.of("learning_rate", "1"), "checkpoint x.bin"));
    assertEquals("checkpoint x.bin has setting learning_rate that this version does not know; use the version that"
        + " wrote it", e.getMessage());
  }

  @Test
  void presetFilesKeepTheValuesOfTheFormerPresetsClass() {
    Map<String, String> quick = new java.util.LinkedHashMap<>();
    String[] kv = {"classes", "6144", "dim", "64", "eps", "0.1", "lr", "3e-4", "train_seqs", "3000000", "eval_every",
        "50000", "eval_seqs", "1000", "ckpt_every", "500000", "threads", "1", "kernels", "auto"};
    for (int i = 0; i < kv.length; i += 2) {
      quick.put(kv[i], kv[i + 1]);
    }
    assertEquals(quick, Presets.byName("quick").overrides());
    assertEquals(Map.of(), Presets.byName("paper-main").overrides());
    Map<String, Map<String, String>> onQuick = Map.of(
        "mq", Map.of("eps", "0.4", "mq", "true", "train_seqs", "2000000"),
        "ciwl-only", Map.of("train_data", "ciwl_only"),
        "icl-only", Map.of("train_data", "icl_only"),
        "weight-decay", Map.of("weight_decay", "1e-4", "weight_decay_mode", "penalty"),
        "weight-decay-adamw", Map.of("weight_decay", "0.1", "weight_decay_mode", "decoupled"),
        "quick-12l", Map.of("depth", "12", "mlp_ratio", "4", "classes", "25600"),
        "quick-mlp", Map.of("mlp_ratio", "4", "classes", "12800"),
        "quick-mlp3", Map.of("mlp_ratio", "4", "classes", "19200", "depth", "3"));
    onQuick.forEach((name, extra) -> {
      Map<String, String> want = new java.util.LinkedHashMap<>(quick);
      want.putAll(extra);
      assertEquals(want, Presets.byName(name).overrides(), name);
    });
    Map<String, String> twelve = Presets.byName("transient-12l").overrides();
    for (String setting : List.of("depth=12", "mlp_ratio=4", "positional=sinusoidal", "context_len=8", "burstiness=3",
        "classes=1600", "lr=3e-4")) {
      int eq = setting.indexOf('=');
      assertEquals(setting.substring(eq + 1), twelve.get(setting.substring(0, eq)), setting);
    }
    assertEquals(17, Presets.byName("transient-12l").config().data().contextLength() * 2 + 1, "17 tokens a sequence");
    assertEquals(11, Presets.ALL.size());
    for (Presets.Preset p : Presets.ALL) {
      assertFalse(p.description().isBlank(), p.name() + " has no description line");
    }
  }

  @Test
  void aPresetFileOfTheUsersOwnReadsLikeTheBuiltInOnesAndBadLinesNameTheLine(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path tmp) throws Exception {
    java.nio.file.Path mine = tmp.resolve("mine.conf");
    java.nio.file.Files.writeString(mine, "# quick at lr 1e-3\nbase = quick\nlr = 1e-3   # faster\n"
        + "bank = file:x.h5#feats\n");
    Presets.Preset p = Presets.byName(mine.toString());
    assertEquals("mine", p.name());
    assertEquals("quick at lr 1e-3", p.description());
    assertEquals("1e-3", p.overrides().get("lr"));
    assertEquals("file:x.h5#feats", p.overrides().get("bank"), "a '#' inside a value is not a comment");
    assertEquals("6144", p.overrides().get("classes"));
    java.nio.file.Files.writeString(mine, "# bad\nlearning_rate = 1\n");
    UserInputException e = assertThrows(UserInputException.class, () -> Presets.byName(mine.toString()));
    assertEquals("preset", e.field().orElseThrow());
    assertTrue(e.problem().contains("line 2") && e.problem().contains("unknown setting 'learning_rate'"), e.problem());
  }

  @Test
  void committedReferenceRunsReadBackIntoConfigsThatWriteTheSameSettings() throws Exception {
    java.nio.file.Path runs = java.nio.file.Path.of("..", "reference-runs");
    int read = 0;
    try (var dirs = java.nio.file.Files.list(runs)) {
      for (java.nio.file.Path dir : (Iterable<java.nio.file.Path>) dirs.sorted()::iterator) {
        java.nio.file.Path json = dir.resolve("config.json");
        if (!java.nio.file.Files.isRegularFile(json)) {
          continue;
        }
        Map<String, String> stored = new java.util.LinkedHashMap<>();
        coopetition.common.Json.read(json).get("settings").fields()
            .forEachRemaining(e -> stored.put(e.getKey(), e.getValue().asText()));
        TrainConfig c = coopetition.transformer.train.ConfigFile.read(dir);
        Map<String, String> written = new java.util.LinkedHashMap<>(c.toSettings().asMap());
        written.keySet().retainAll(stored.keySet()); // keys added since (workers) take their defaults
        assertEquals(stored, written, dir.toString());
        assertEquals(coopetition.common.Json.read(json).get("title").asText(), c.title(), dir.toString());
        read++;
      }
    }
    assertTrue(read >= 4, "reference runs found: " + read);
  }
}
