package coopetition.transformer.intervene;

import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.eval.Evaluator;
import coopetition.transformer.intervene.Manipulation.ClampLabelDelta;
import coopetition.transformer.intervene.Manipulation.Combined;
import coopetition.transformer.intervene.Manipulation.KeepOnlyHeads;
import coopetition.transformer.mech.Network;
import coopetition.transformer.model.HeadRef;
import java.util.ArrayList;
import java.util.List;

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
}
