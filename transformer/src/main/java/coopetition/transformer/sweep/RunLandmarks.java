package coopetition.transformer.sweep;

import coopetition.transformer.train.MetricsLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The landmarks of one training run's curves, as the transience papers read them: when Flip (ICL against
 * CIWL) peaks and how high, when it then first falls below 0.5 (CIWL wins) and below 0.2 (ICL gone), and
 * where the run ends. A crossing that never happens is NaN ("never" in tables).
 *
 * @param flipPeak highest Flip in-context accuracy
 * @param flipPeakSeqs sequences seen at that peak (the first eval that reaches it)
 * @param flipBelowHalfSeqs first eval after the peak with Flip below 0.5
 * @param flipBelowFifthSeqs first eval after the peak with Flip below 0.2
 * @param ciwlFinal CIWL in-context accuracy at the last eval
 * @param iclFinal ICL in-context accuracy at the last eval
 * @param iwlFinal pure-IWL accuracy at the last eval
 * @param trainLossFinal mean training loss over the steps before the last eval
 * @param finalSeqs sequences seen at the last eval
 */
public record RunLandmarks(double flipPeak, double flipPeakSeqs, double flipBelowHalfSeqs, double flipBelowFifthSeqs,
    double ciwlFinal, double iclFinal, double iwlFinal, double trainLossFinal, double finalSeqs) {

  /** Column names, in the order of {@link #values()}. */
  public static final List<String> NAMES = List.of("flip_peak", "flip_peak_seqs", "flip_below_0.5_seqs",
      "flip_below_0.2_seqs", "ciwl_final", "icl_final", "iwl_final", "train_loss_final", "final_seqs");

  public static RunLandmarks of(MetricsLog log) {
    double[] seqs = log.column("seqs");
    double[] flip = log.column("flip_in_context_acc");
    int last = seqs.length - 1;
    if (last < 0) {
      throw new IllegalArgumentException("a metrics log without rows has no landmarks");
    }
    int peak = 0;
    for (int i = 1; i < flip.length; i++) {
      if (flip[i] > flip[peak]) {
        peak = i;
      }
    }
    return new RunLandmarks(flip[peak], seqs[peak], firstBelow(seqs, flip, peak, 0.5), firstBelow(seqs, flip, peak, 0.2),
        log.column("ciwl_in_context_acc")[last], log.column("icl_in_context_acc")[last], log.column("iwl_acc")[last],
        log.column("train_loss")[last], seqs[last]);
  }

  private static double firstBelow(double[] seqs, double[] y, int from, double level) {
    for (int i = from; i < y.length; i++) {
      if (y[i] < level) {
        return seqs[i];
      }
    }
    return Double.NaN;
  }

  public double[] values() {
    return new double[] {flipPeak, flipPeakSeqs, flipBelowHalfSeqs, flipBelowFifthSeqs, ciwlFinal, iclFinal, iwlFinal,
        trainLossFinal, finalSeqs};
  }

  public Map<String, Double> asMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    double[] v = values();
    for (int i = 0; i < v.length; i++) {
      m.put(NAMES.get(i), v[i]);
    }
    return m;
  }
}
