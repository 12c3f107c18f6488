package coopetition.transformer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coopetition.common.Json;
import coopetition.common.Provenance;
import coopetition.common.UserInputException;
import coopetition.transformer.config.SettingsCodec;
import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.data.Splits;
import coopetition.transformer.runtime.Torch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run directory's config.json: written from the {@link TrainConfig} (its settings, which read back
 * into the same config, plus the derived records, bank, engine and provenance for readers) and read
 * back into a TrainConfig from its {@code settings}.
 */
public final class ConfigFile {
  public static final String NAME = "config.json";

  private ConfigFile() {}

  /** What the run opened and how it started, beside its config. */
  record Context(FeatureBank bank, Splits splits, Trainer trainer, TrainingRun.Start start, String command) {}

  static void write(Path dir, TrainConfig config, Context c) {
    ObjectNode root = Json.object();
    root.put("title", config.title());
    root.set("settings", Json.tree(config.toSettings().asMap()));
    root.set("changed_from_defaults", Json.tree(config.toSettings().changedFromDefaults()));
    root.set("model", Json.tree(c.trainer().modelConfig()));
    root.put("parameters", c.trainer().parameters().count());
    root.set("sampler", Json.tree(config.sampler(c.splits().numTrainClasses())));
    root.set("adam", Json.tree(config.adam()));
    root.set("schedule", Json.tree(config.schedule()));
    root.set("seeds", Json.tree(config.seeds()));
    root.put("bank", c.bank().describe());
    root.put("bank_fingerprint", c.bank().fingerprint());
    root.put("splits", c.splits().toString());
    String device = Torch.describe(c.trainer().device());
    root.put("device", device);
    // what ran: kernels=auto is decided by the trainer (java on a CPU where it can serve the model)
    root.put("kernels_used", c.trainer().kernels().name().toLowerCase(java.util.Locale.ROOT));
    TrainingRun.Start start = c.start();
    if (start.resumeFrom() != null) {
      root.put("resumed_from", start.resumeFrom().toString());
    }
    if (start.initFrom() != null) {
      root.put("init_from", start.initFrom().toString());
      root.put("init_optimiser", start.initOptimiser());
    }
    root.set("provenance", Json.tree(Provenance.capture(c.command(), Map.of("device", device))));
    Json.write(dir.resolve(NAME), root);
  }

  /** The config of the run in {@code dir}, from its config.json (older runs' missing keys take the defaults). */
  public static TrainConfig read(Path dir) {
    Path file = dir.resolve(NAME);
    if (!Files.isRegularFile(file)) {
      throw new UserInputException(dir + " has no " + NAME + "; give a run directory of ./coop train");
    }
    JsonNode settings = Json.read(file).get("settings");
    if (settings == null || !settings.isObject()) {
      throw new UserInputException(file + " has no \"settings\" object; it was not written by ./coop train");
    }
    Map<String, String> stored = new LinkedHashMap<>();
    settings.fields().forEachRemaining(e -> stored.put(e.getKey(), e.getValue().asText()));
    return SettingsCodec.readStored(stored, file.toString());
  }
}
