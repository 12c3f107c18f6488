package coopetition.comparison.fit;

import java.util.List;

/**
 * A joint fit across runs: the fit of the asked sharing hypothesis, run by run, and the comparison
 * of sharing hypotheses that says which toy parameters must differ between the runs.
 *
 * @param runs the runs' names
 * @param shared the toy parameters shared by all runs in {@code perRun}
 * @param perRun per run, its parameters (shared ones carry the joint estimate and interval; the
 *     intervals are Wald intervals from the joint covariance) and its curves' R²
 * @param singles per run, its own single fit (the starting points, and the "none shared" baseline)
 * @param comparison every sharing hypothesis, the likelihood-ratio tests and the verdict
 * @param weightedSse of the asked hypothesis, all runs together
 * @param toySolves toy solves of the whole joint fit, single fits included
 */
public record JointResult(List<String> runs, List<String> shared, List<FitResult> perRun, List<FitResult> singles,
    SharingComparison comparison, double weightedSse, int points, int degreesOfFreedom, long toySolves,
    double wallSeconds, List<String> notes) {
  public JointResult {
    runs = List.copyOf(runs);
    shared = List.copyOf(shared);
    perRun = List.copyOf(perRun);
    singles = List.copyOf(singles);
    notes = List.copyOf(notes);
  }
}
