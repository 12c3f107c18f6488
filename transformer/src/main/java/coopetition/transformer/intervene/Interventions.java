package coopetition.transformer.intervene;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.eval.Metrics;
import coopetition.transformer.mech.Network;
import coopetition.transformer.model.HookPoint;
import coopetition.transformer.model.Hooks;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.model.Transformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates a network under a {@link Manipulation}, with the same chunks and metric code as the training
 * loop's evals, so {@link Manipulation.None} reproduces metrics.csv.
 */
public final class Interventions {
  /** The training loop's eval chunk. */
  static final int CHUNK = 1000;

  private Interventions() {}

  /** Per-sequence metrics of {@code net} on {@code data} with {@code m} applied. */
  public static Metrics.PerSequence evaluate(Network net, SequenceBatch data, Manipulation m) {
    ModelConfig config = net.model().config();
    m.check(config);
    Set<HookPoint> clean = m.needsClean(config);
    List<Metrics.PerSequence> parts = new ArrayList<>();
    for (int first = 0; first < data.size(); first += CHUNK) {
      int count = Math.min(CHUNK, data.size() - first);
      SequenceBatch b = data.slice(first, count);
      float[] logits;
      try (NDManager sm = net.scope()) {
        NDArray x = sm.create(b.examples(), new Shape(b.size(), b.pairs(), b.dim()));
        NDArray y = sm.create(b.labels(), new Shape(b.size(), b.pairs())).toType(DataType.INT64, false);
        Map<HookPoint, NDArray> cache = clean.isEmpty() ? Map.of()
            : net.model().forward(x, y, Transformer.Readout.QUERY, false, net.hooks().cache(clean.toArray(HookPoint[]::new)))
                .cache();
        // Starts from the run's own hooks (forbid); a manipulation of the same hook point replaces them there.
        Hooks hooks = m.apply(net.hooks(), new Manipulation.Batch(config, LabelTokens.of(b), cache));
        logits = net.model().forward(x, y, Transformer.Readout.QUERY, false, hooks).logits().toFloatArray();
      }
      parts.add(Metrics.compute(logits, config.numClasses(), data, first, count));
    }
    return Metrics.PerSequence.concat(parts);
  }
}
