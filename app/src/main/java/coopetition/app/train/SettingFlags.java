package coopetition.app.train;

import coopetition.transformer.config.Settings;

/**
 * The flag behind a training setting: every setting is typed as {@code --set key=value}, so an error
 * about the field {@code lr} reads "--set lr: ...". Shared by the train commands' {@code FlagNames}.
 */
public final class SettingFlags {
  private SettingFlags() {}

  /** {@code --set KEY} for a setting, {@code --set} for the assignment itself, else null (the option of that name). */
  public static String flagFor(String field) {
    if (field.equals("set")) {
      return "--set";
    }
    for (Settings.Key k : Settings.KEYS) {
      if (k.name().equals(field)) {
        return "--set " + field;
      }
    }
    return null;
  }
}
