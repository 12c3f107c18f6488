package coopetition.transformer.mech;

import coopetition.common.UserInputException;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.data.Splits;
import coopetition.transformer.eval.EvalSuite;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.train.CheckpointHistory;
import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.train.ConfigFile;
import coopetition.transformer.train.TrainingRun;
import coopetition.transformer.train.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished or running training run opened from its directory: its settings, model shape, its own eval
 * sequences (eval_set.bin, checked against the bank and spec) and its checkpoint history.
 */
public final class StoredRun {
  private final Path dir;
  private final TrainConfig config;
  private final ModelConfig model;
  private final EvalSuite suite;

  private StoredRun(Path dir, TrainConfig config, ModelConfig model, EvalSuite suite) {
    this.dir = dir;
    this.config = config;
    this.model = model;
    this.suite = suite;
  }

  /** Opens {@code dir}; one clear line if it is not a run directory of ./coop train. */
  public static StoredRun open(Path dir) {
    Path cfg = dir.resolve(TrainingRun.CONFIG);
    Path evalSet = dir.resolve(TrainingRun.EVAL_SET);
    UserInputException.require(Files.isRegularFile(cfg) && Files.isRegularFile(evalSet), dir + " has no "
        + TrainingRun.CONFIG + " and " + TrainingRun.EVAL_SET + "; give a run directory written by ./coop train");
    TrainConfig c = ConfigFile.read(dir);
    FeatureBank bank = TrainingRun.openBank(c);
    Splits splits = TrainingRun.splits(c, bank);
    EvalSuite.Spec spec = EvalSuite.Spec.paperDefaults(splits, c.evalSeqs(), c.data().contextLength(), c.data().burstiness())
        .withSeed(c.seeds().eval());
    EvalSuite suite = EvalSuite.read(evalSet, bank, spec);
    return new StoredRun(dir, c, c.model(bank.dim(), splits.numTrainClasses()), suite);
  }

  public Path dir() {
    return dir;
  }

  public TrainConfig config() {
    return config;
  }

  public ModelConfig model() {
    return model;
  }

  /** A network of the run's shape that computes as its training did (with its {@code forbid} rules, if any). */
  public Network network() {
    return new Network(model, coopetition.transformer.train.ForbiddenAttention.of(config.forbid(), model,
        config.data().contextLength() + 1));
  }

  /** The run's own eval sequences, identical to those behind its metrics.csv. */
  public EvalSuite suite() {
    return suite;
  }

  /** Every stored checkpoint, by sequences seen. */
  public List<CheckpointHistory.Entry> history() {
    return CheckpointHistory.list(dir);
  }

  /** The last stored checkpoint. */
  public CheckpointHistory.Entry last() {
    List<CheckpointHistory.Entry> h = history();
    return h.get(h.size() - 1);
  }

  /** The stored checkpoint at exactly {@code seqs}; one line listing what exists if there is none. */
  public CheckpointHistory.Entry at(long seqs) {
    List<CheckpointHistory.Entry> h = history();
    for (CheckpointHistory.Entry e : h) {
      if (e.seqs() == seqs) {
        return e;
      }
    }
    throw new UserInputException("run " + dir + " has no checkpoint at " + seqs + " sequences; it has "
        + describe(h) + " (see " + dir.resolve(CheckpointHistory.DIR) + ")");
  }

  /**
   * Checkpoints chosen by {@code spec}: {@code all}, {@code final} (the last), or a comma-separated list of
   * sequence counts (each must exist; 1e6 and 1_000_000 are allowed).
   */
  public List<CheckpointHistory.Entry> select(String spec, String field) {
    String v = spec.trim().toLowerCase(java.util.Locale.ROOT);
    if (v.equals("all")) {
      return history();
    }
    if (v.equals("final") || v.equals("last")) {
      return List.of(last());
    }
    List<CheckpointHistory.Entry> out = new ArrayList<>();
    for (String part : v.split(",")) {
      String p = part.trim().replace("_", "");
      if (p.isEmpty()) {
        continue;
      }
      long seqs;
      try {
        double d = Double.parseDouble(p);
        if (d < 0 || d != Math.rint(d)) {
          throw new NumberFormatException();
        }
        seqs = (long) d;
      } catch (NumberFormatException e) {
        throw UserInputException.forField(field, "'" + part.trim() + "' is not all, final or a sequence count; e.g. all, final or"
            + " 150016,3000000");
      }
      out.add(at(seqs));
    }
    UserInputException.requireField(!out.isEmpty(), field, "names no checkpoint; give all, final or sequence counts");
    return out;
  }

  /** Loads the weights at an entry. */
  public static Weights weights(CheckpointHistory.Entry e) {
    return Weights.read(e.file());
  }

  private static String describe(List<CheckpointHistory.Entry> h) {
    StringBuilder sb = new StringBuilder();
    sb.append(h.size()).append(" checkpoints: ");
    int shown = 0;
    for (CheckpointHistory.Entry e : h) {
      if (shown == 6 && h.size() > 7) {
        sb.append(", ... ").append(h.get(h.size() - 1).seqs());
        break;
      }
      sb.append(shown == 0 ? "" : ", ").append(e.seqs());
      shown++;
    }
    return sb.toString();
  }
}
