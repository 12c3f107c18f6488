package coopetition.app.mech;

import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.donor.ChildRun;
import coopetition.transformer.donor.ChildRunner;
import coopetition.transformer.donor.ReproductionScale;
import coopetition.transformer.mech.StoredRun;
import coopetition.transformer.train.Checkpoint;
import coopetition.transformer.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What {@code reproduce} still has to do, for its estimate: training sequences left (its own runs and the Fig 4
 * children, finished ones excluded) and stored networks to analyse.
 *
 * @param trainSeqs training sequences left
 * @param networks stored networks the mechanistic figures evaluate (attention and grafts)
 * @param parts one phrase per piece of work
 */
record ReproducePlan(long trainSeqs, long networks, List<String> parts) {

  String describe() {
    return parts.isEmpty() ? "nothing to train" : String.join("; ", parts);
  }

  static ReproducePlan of(Set<String> want, ReproductionScale sc, List<ChildRun> runs, Path out, Path givenRun) {
    List<String> parts = new ArrayList<>();
    long seqs = 0;
    for (ChildRun r : runs) {
      long left = ChildRunner.remainingSeqs(List.of(r));
      seqs += left;
      parts.add(String.format(Locale.ROOT, "run %s %,d sequences (%,d left)", r.name(), r.trainSeqs(), left));
    }
    seqs += children(want, "4a", 2, sc.fig4aSeqs(), out, parts);
    seqs += children(want, "4b", sc.fig4bDonors().size() + 1, sc.fig4bSeqs(), out, parts);
    seqs += children(want, "4c", sc.fig4cFrom().size(), sc.fig4cSeqs(), out, parts);
    Set<String> mech = new LinkedHashSet<>(want);
    mech.retainAll(MechReproduction.FIGURES);
    long networks = 0;
    if (!mech.isEmpty()) {
      long checkpoints;
      if (givenRun != null) {
        checkpoints = StoredRun.open(givenRun).history().size();
      } else {
        TrainConfig main = runs.get(0).config();
        checkpoints = main.schedule().trainSeqs() / main.schedule().ckptEvery() + 1;
      }
      networks = MechReproduction.networks(mech, checkpoints);
      parts.add(String.format(Locale.ROOT, "%s on %d checkpoints", String.join(" ", mech), checkpoints));
    }
    return new ReproducePlan(seqs, networks, List.copyOf(parts));
  }

  /** Sequences left for a Fig 4 driver of {@code count} children: the finished ones under OUT/figX are skipped. */
  private static long children(Set<String> want, String fig, int count, long seqs, Path out, List<String> parts) {
    if (!want.contains(fig)) {
      return 0;
    }
    int done = 0;
    Path dir = out.resolve("fig" + fig);
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path c : s.toList()) {
          Path ckpt = c.resolve(TrainingRun.CHECKPOINT);
          if (Files.isRegularFile(ckpt) && Checkpoint.read(ckpt).state().seqs() >= seqs) {
            done++;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    int left = Math.max(0, count - done);
    parts.add(String.format(Locale.ROOT, "%s: %d trainings of %,d (%d left)", fig, count, seqs, left));
    return left * seqs;
  }
}
