package coopetition.transformer.donor;

import coopetition.transformer.mech.Claims;
import coopetition.transformer.mech.Claims.Row;
import coopetition.transformer.mech.Claims.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fig 4's claims checked against the children's summaries, with the thresholds written into the rows (as in
 * {@link Claims}).
 */
public final class DonorClaims {
  private DonorClaims() {}

  /** Fig 4a: with the donor's Layer 2 + unembedding frozen, ICL-only data teaches ICL fast; without, slowly or not. */
  public static Row fig4a(ChildSummary donor, ChildSummary none) {
    String claim = String.format(Locale.ROOT, "On ICL-only data, a network whose last layer + unembedding are frozen"
        + " from the end of a normal run learns ICL fast; without the donor it does not (holds: the donor child reaches"
        + " ICL in-context accuracy %.2f and the no-donor child does not, or needs over twice as many sequences)",
        donor.threshold());
    String measured = String.format(Locale.ROOT, "donor: %s; no donor: %s", describe(donor), describe(none));
    Verdict v;
    if (!donor.reached()) {
      v = Verdict.DOES_NOT_HOLD;
    } else if (!none.reached() || none.reachedAt() > 2 * donor.reachedAt()) {
      v = Verdict.HOLDS;
    } else {
      v = none.reachedAt() > donor.reachedAt() ? Verdict.PARTLY : Verdict.DOES_NOT_HOLD;
    }
    return new Row("4a", claim, measured, v);
  }

  /**
   * Fig 4b: only donors from a middle window of a CIWL-only run let ICL be learned. {@code donors} in order of
   * donor sequences, the no-donor baseline excluded.
   */
  public static Row fig4b(List<ChildSummary> donors, ChildSummary none) {
    String claim = String.format(Locale.ROOT, "Only donors (last layer + unembedding) from a middle window of a CIWL-only"
        + " run let ICL-only training reach ICL in-context accuracy %.2f (holds: some donors reach it, the earliest"
        + " and the latest do not)", none.threshold());
    return new Row("4b", claim, windowText(donors) + "; no donor: " + describe(none), window(donors));
  }

  /** Fig 4c: CIWL-only checkpoints continued on normal data; when does ICL (Flip above chance) emerge. */
  public static Row fig4c(List<ChildSummary> starts) {
    String claim = String.format(Locale.ROOT, "CIWL-only checkpoints continued on normal data develop ICL (Flip >= %.2f)"
        + " only from a window of starting points, like Fig 4b's donors (holds: some starts reach it, the earliest"
        + " and the latest do not)", starts.isEmpty() ? 0.5 : starts.get(0).threshold());
    return new Row("4c", claim, windowText(starts), window(starts));
  }

  /** HOLDS for a middle window, PARTLY when a window is open at one end, DOES_NOT_HOLD when none or all reach. */
  static Verdict window(List<ChildSummary> ordered) {
    if (ordered.isEmpty()) {
      return Verdict.NOT_MEASURED;
    }
    long reached = ordered.stream().filter(ChildSummary::reached).count();
    if (reached == 0 || reached == ordered.size()) {
      return Verdict.DOES_NOT_HOLD;
    }
    boolean firstOut = !ordered.get(0).reached();
    boolean lastOut = !ordered.get(ordered.size() - 1).reached();
    return firstOut && lastOut ? Verdict.HOLDS : Verdict.PARTLY;
  }

  private static String windowText(List<ChildSummary> ordered) {
    List<String> parts = new ArrayList<>();
    for (ChildSummary s : ordered) {
      parts.add(String.format(Locale.ROOT, "%,d: %s", s.donorSeqs(), describe(s)));
    }
    return String.join("; ", parts);
  }

  static String describe(ChildSummary s) {
    return s.reached()
        ? String.format(Locale.ROOT, "best %.3f, reached %.2f at %,d", s.best(), s.threshold(), s.reachedAt())
        : String.format(Locale.ROOT, "best %.3f, never %.2f in %,d", s.best(), s.threshold(), s.trained());
  }
}
