package coopetition.transformer.intervene;

import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.eval.Evaluator;
import coopetition.transformer.intervene.Manipulation.ClampLabelDelta;
import coopetition.transformer.intervene.Manipulation.Combined;
import coopetition.transformer.intervene.Manipulation.KeepOnlyHeads;
import coopetition.transformer.mech.Claims;
import coopetition.transformer.mech.Network;
import coopetition.transformer.model.HeadRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fig 2b: each head alone in its layer (the layer's other heads ablated), its query row clamped to each
 * attention delta between the correct- and incorrect-label tokens. One row per head with no clamp (the head
 * alone, as it attends itself) and one per (head, delta).
 */
public final class ClampSweep {
  private ClampSweep() {}

  /** The paper's x axis: -1 to 1 in steps of 0.25. */
  public static final List<Double> DELTAS = List.of(-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0);

  public static List<Measured> run(Network net, Evaluator evaluator, SequenceBatch data, List<HeadRef> heads,
      List<Double> deltas, Runnable tick) {
    List<Measured> out = new ArrayList<>();
    for (HeadRef h : heads) {
      Manipulation alone = new KeepOnlyHeads(List.of(h));
      out.add(Measured.of(alone, h.toString(), Double.NaN, evaluator, Interventions.evaluate(net, data, alone)));
      for (double d : deltas) {
        Manipulation m = new Combined(List.of(alone, new ClampLabelDelta(h, d)));
        out.add(Measured.of(m, h.toString(), d, evaluator, Interventions.evaluate(net, data, m)));
        tick.run();
      }
    }
    return out;
  }

  /**
   * Fig 2b's claim: each last-layer head alone copies the label it attends to, so in-context accuracy rises
   * with the clamped delta. Compares delta = -1 with delta = +1 per head.
   */
  public static Claims.Row claim(List<Measured> rows, long seqs) {
    String claim = "Each Layer-2 head alone copies the label it attends to: CIWL in-context accuracy rises with the clamped"
        + " attention delta (holds: rise from delta -1 to +1 > 0.2 for at least half the heads; partly: the loss falls"
        + " from -1 to +1 for every head)";
    List<String> heads = rows.stream().filter(r -> !r.head().isEmpty()).map(Measured::head).distinct().toList();
    int rising = 0;
    int lossFalls = 0;
    double minRise = Double.POSITIVE_INFINITY;
    double maxRise = Double.NEGATIVE_INFINITY;
    for (String h : heads) {
      Measured lo = at(rows, h, -1);
      Measured hi = at(rows, h, 1);
      if (lo == null || hi == null) {
        return new Claims.Row("2b", claim, "delta -1 and +1 not both measured", Claims.Verdict.NOT_MEASURED);
      }
      double rise = hi.inContextAcc() - lo.inContextAcc();
      minRise = Math.min(minRise, rise);
      maxRise = Math.max(maxRise, rise);
      rising += rise > 0.2 ? 1 : 0;
      lossFalls += hi.loss() < lo.loss() ? 1 : 0;
    }
    if (heads.isEmpty()) {
      return new Claims.Row("2b", claim, "no head clamped", Claims.Verdict.NOT_MEASURED);
    }
    Measured clean = rows.stream().filter(r -> r.head().isEmpty()).findFirst().orElse(null);
    String measured = String.format(Locale.ROOT, "at %,d seqs (all heads: %.3f): rise from -1 to +1 between %+.3f and %+.3f;"
        + " %d of %d heads rise > 0.2; loss falls for %d of %d", seqs, clean == null ? Double.NaN : clean.inContextAcc(),
        minRise, maxRise, rising, heads.size(), lossFalls, heads.size());
    Claims.Verdict v = 2 * rising >= heads.size() ? Claims.Verdict.HOLDS
        : lossFalls == heads.size() ? Claims.Verdict.PARTLY : Claims.Verdict.DOES_NOT_HOLD;
    return new Claims.Row("2b", claim, measured, v);
  }

  private static Measured at(List<Measured> rows, String head, double delta) {
    return rows.stream().filter(r -> r.head().equals(head) && r.value() == delta).findFirst().orElse(null);
  }
}
