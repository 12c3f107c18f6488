package coopetition.transformer.donor;

import coopetition.common.UserInputException;
import coopetition.transformer.config.Settings;
import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.model.ModelParts;
import coopetition.transformer.train.CheckpointHistory;
import coopetition.transformer.train.Weights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The child trainings of the paper's Fig 4, each built from the settings of the run that holds the donor, so
 * donor and child always have the same model shape:
 * <ul>
 *   <li>4a: ICL-only data with the last layer and the unembedding frozen from a donor (the end of a normal
 *       run), against the same training without a donor;</li>
 *   <li>4b: the same for each of a list of donor checkpoints of a CIWL-only run (the paper: only a middle
 *       window of donors lets ICL be learned fast);</li>
 *   <li>4c: normal data, starting from CIWL-only checkpoints (all parameters, none frozen, fresh Adam state),
 *       on the donor's sequence counter.</li>
 * </ul>
 *
 * @param seqs sequences each child trains for
 * @param evals evals per child (its {@code eval_every} is seqs / evals)
 * @param overrides settings the user sets on every child (e.g. {@code threads=1}), applied last
 */
public record DonorStudy(long seqs, int evals, Map<String, String> overrides) {
  public static final String NO_DONOR = "no-donor";

  public DonorStudy {
    UserInputException.requireField(seqs > 0, "seqs", "must be positive, got " + seqs);
    UserInputException.requireField(evals >= 2, "evals", "must be at least 2, got " + evals);
    overrides = Map.copyOf(overrides);
  }

  public DonorStudy withSeqs(long n) {
    return new DonorStudy(n, evals, overrides);
  }

  /** The frozen parts of Fig 4: the last layer and the unembedding ({@code layer2,unembed} for 2 layers). */
  public static String frozenParts(int depth) {
    return ModelParts.layer(depth) + "," + ModelParts.UNEMBED;
  }

  /** Fig 4a: [with the donor's last layer + unembedding frozen, without a donor], both on ICL-only data. */
  public List<ChildRun> fig4a(Path donorFile, Path dir) {
    Settings base = iclOnly(donorSettings(donorFile));
    long donorSeqs = Weights.read(donorFile).seqs();
    return List.of(
        new ChildRun("donor", withDonor(base, donorFile), dir.resolve("donor"), null, donorSeqs),
        new ChildRun(NO_DONOR, base, dir.resolve(NO_DONOR), null, -1));
  }

  /** Fig 4b: one ICL-only child per donor checkpoint of {@code donorRun}, plus the no-donor baseline first. */
  public List<ChildRun> fig4b(Path donorRun, List<CheckpointHistory.Entry> donors, Path dir) {
    requireSome(donors, donorRun);
    Settings base = iclOnly(donorSettings(donors.get(0).file()));
    List<ChildRun> out = new ArrayList<>();
    out.add(new ChildRun(NO_DONOR, base, dir.resolve(NO_DONOR), null, -1));
    for (CheckpointHistory.Entry e : donors) {
      String name = "donor-" + digits(e.seqs());
      out.add(new ChildRun(name, withDonor(base, e.file()), dir.resolve(name), null, e.seqs()));
    }
    return out;
  }

  /** Fig 4c: one child per checkpoint of {@code donorRun}, continued on normal data from all its parameters. */
  public List<ChildRun> fig4c(Path donorRun, List<CheckpointHistory.Entry> from, Path dir) {
    requireSome(from, donorRun);
    Settings base = child(donorSettings(from.get(0).file())).with("train_data", "main");
    List<ChildRun> out = new ArrayList<>();
    for (CheckpointHistory.Entry e : from) {
      String name = "from-" + digits(e.seqs());
      out.add(new ChildRun(name, base, dir.resolve(name), absolute(e.file()), e.seqs()));
    }
    return out;
  }

  /**
   * The stored checkpoint nearest to each wanted count (history points fire at the first batch boundary at or
   * after their value, e.g. 50016 for 50000), without repeats, in training order.
   */
  public static List<CheckpointHistory.Entry> nearest(List<CheckpointHistory.Entry> history, List<Long> wanted) {
    java.util.TreeMap<Long, CheckpointHistory.Entry> out = new java.util.TreeMap<>();
    for (long w : wanted) {
      CheckpointHistory.Entry best = null;
      for (CheckpointHistory.Entry e : history) {
        if (best == null || Math.abs(e.seqs() - w) < Math.abs(best.seqs() - w)) {
          best = e;
        }
      }
      if (best != null) {
        out.put(best.seqs(), best);
      }
    }
    return List.copyOf(out.values());
  }

  /** The settings of the run that wrote {@code donorFile} (stored in the file itself). */
  static Settings donorSettings(Path donorFile) {
    Weights w = Weights.read(donorFile);
    Settings s = Settings.defaults();
    for (Map.Entry<String, String> e : w.settings().entrySet()) {
      s = s.with(e.getKey(), e.getValue());
    }
    return s;
  }

  /** A child of {@code run}'s settings: no donor or history of its own, a short schedule, the user's overrides. */
  Settings child(Settings run) {
    TrainConfig c = TrainConfig.from(run);
    long batch = c.schedule().batch();
    long every = Math.max(batch, seqs / evals);
    Settings s = run.with("donor", "").with("donor_parts", "").with("ckpt_at", "").with("ckpt_log", "0")
        .with("ckpt_history", "false").with("train_seqs", Long.toString(seqs)).with("eval_every", Long.toString(every))
        .with("ckpt_every", Long.toString(Math.max(batch, seqs / 4)));
    return s.withAll(overrides);
  }

  private Settings iclOnly(Settings run) {
    return child(run).with("train_data", "icl_only");
  }

  private static Settings withDonor(Settings base, Path donorFile) {
    int depth = TrainConfig.from(base).architecture().depth();
    // absolute, so a rerun from another directory (or with a relative --run) finds the same settings
    return base.with("donor", absolute(donorFile).toString()).with("donor_parts", frozenParts(depth));
  }

  private static Path absolute(Path p) {
    return p.toAbsolutePath().normalize();
  }

  private static void requireSome(List<CheckpointHistory.Entry> e, Path run) {
    UserInputException.require(!e.isEmpty(), "no donor checkpoints chosen from " + run
        + "; give seqs values that are in its checkpoints/ history");
  }

  private static String digits(long seqs) {
    return String.format(Locale.ROOT, "%012d", seqs);
  }
}
