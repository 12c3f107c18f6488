package coopetition.app.train;

import coopetition.transformer.config.Presets;
import coopetition.transformer.config.Settings;
import java.io.PrintStream;
import java.util.Map;

/** {@code ./coop train --list-presets}: every preset (name, description, settings) and every setting. */
final class PresetList {
  private PresetList() {}

  static void print(PrintStream out) {
    out.println("Presets (./coop train --preset NAME [--set key=value ...]; files: transformer/src/main/resources/presets):");
    for (Presets.Preset p : Presets.ALL) {
      out.printf("  %-20s %s%n", p.name(), p.description());
      StringBuilder sb = new StringBuilder();
      for (Map.Entry<String, String> e : p.overrides().entrySet()) {
        sb.append(sb.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue());
      }
      out.printf("  %-20s   %s%n", "", sb.length() == 0 ? "(defaults)" : sb);
    }
    out.println();
    out.println("Settings (key, default, meaning); defaults are the authors' main run:");
    for (Settings.Key k : Settings.KEYS) {
      out.printf("  %-18s %-10s %s%n", k.name(), k.defaultValue().isEmpty() ? "\"\"" : k.defaultValue(), k.help());
    }
  }
}
