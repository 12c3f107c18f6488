package coopetition.transformer.train;

import coopetition.common.UserInputException;
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

  /** The donor of a run's settings, or null when {@code donor} is empty. */
  static FrozenDonor of(Settings s, int depth) {
    String file = s.get("donor").trim();
    String list = s.get("donor_parts").trim();
    if (file.isEmpty()) {
      UserInputException.requireField(list.isEmpty(), "donor_parts", "needs a donor checkpoint; set donor=RUN/checkpoints/seqs_N.bin");
      return null;
    }
    Set<String> parts = ModelParts.parse(list, depth, "donor_parts");
    UserInputException.requireField(!parts.isEmpty(), "donor_parts", "is empty; name the frozen parts, e.g. layer2,unembed");
    return new FrozenDonor(Path.of(file), parts);
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
