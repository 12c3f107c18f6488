package coopetition.transformer.train;

import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.model.ModelParts;
import coopetition.transformer.model.Parameters;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Frozen-donor training (the paper's Fig 4): chosen parts of the model ({@code donor_parts}, e.g.
 * {@code layer2,unembed}) are copied from a donor checkpoint ({@code donor}) and never updated, while the
 * rest trains from its own initialisation. Gradients still flow through the frozen parts into the
 * trainable ones.
 *
 * @param donor a history file (RUN/checkpoints/seqs_N.bin) or a checkpoint.bin
 * @param parts the frozen parts, names of {@link ModelParts}
 */
public record FrozenDonor(Path donor, Set<String> parts) {

  /** The donor of a run's config, or null when it has none (the parts were checked by the config). */
  static FrozenDonor of(TrainConfig c) {
    if (!c.donor().present()) {
      return null;
    }
    return new FrozenDonor(Path.of(c.donor().file()), new LinkedHashSet<>(c.donor().parts()));
  }

  /** Copies the donor's frozen parts into {@code params}; returns the names of the frozen parameters. */
  Set<String> apply(Parameters params) {
    Weights w = Weights.read(donor);
    w.checkCompatible(params, "donor " + donor);
    Set<String> frozen = new LinkedHashSet<>();
    params.arrays().forEach((name, a) -> {
      if (parts.contains(ModelParts.partOf(name))) {
        Parameters.assign(a, w.array(name));
        frozen.add(name);
      }
    });
    return frozen;
  }
}
