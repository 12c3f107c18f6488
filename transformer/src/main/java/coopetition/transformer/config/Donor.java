package coopetition.transformer.config;

import java.util.List;

/**
 * Frozen-donor training (Fig 4): {@code parts} of the model are copied from the checkpoint {@code file} and
 * never updated. An empty file means no donor.
 *
 * @param file {@code donor}: a history file or checkpoint.bin, or empty
 * @param parts {@code donor_parts}: names of {@code model.ModelParts} (embed, layer1.., unembed)
 */
public record Donor(String file, List<String> parts) {
  public Donor {
    parts = List.copyOf(parts);
  }

  public static Donor none() {
    return new Donor("", List.of());
  }

  public boolean present() {
    return !file.isBlank();
  }
}
