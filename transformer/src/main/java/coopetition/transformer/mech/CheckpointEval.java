package coopetition.transformer.mech;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.eval.EvalSet;
import coopetition.transformer.eval.EvalSuite;
import coopetition.transformer.eval.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every metric of every evaluator for the network's current weights, exactly as the training loop
 * computes them for metrics.csv (same sequences, same chunks of 1000, same metric code).
 */
public final class CheckpointEval {
  /** The training loop's eval chunk; the model is deterministic, so it only bounds memory. */
  static final int CHUNK = 1000;

  private CheckpointEval() {}

  /** Means keyed {@code <evaluator>_<metric>}, in metrics.csv column order. */
  public static Map<String, Double> evaluate(Network net, EvalSuite suite) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (EvalSet set : suite.sets()) {
      Metrics.PerSequence m = perSequence(net, set.data());
      for (String name : Metrics.NAMES) {
        out.put(set.evaluator().columnPrefix() + "_" + name, m.mean(name));
      }
    }
    return out;
  }

  /** Per-sequence metrics of one batch. */
  public static Metrics.PerSequence perSequence(Network net, SequenceBatch data) {
    int classes = net.model().config().numClasses();
    List<Metrics.PerSequence> parts = new ArrayList<>();
    for (int first = 0; first < data.size(); first += CHUNK) {
      int count = Math.min(CHUNK, data.size() - first);
      SequenceBatch b = data.slice(first, count);
      float[] logits;
      try (NDManager sm = net.scope()) {
        NDArray x = sm.create(b.examples(), new Shape(b.size(), b.pairs(), b.dim()));
        NDArray y = sm.create(b.labels(), new Shape(b.size(), b.pairs())).toType(DataType.INT64, false);
        logits = net.model().forward(x, y, coopetition.transformer.model.Transformer.Readout.QUERY, false, net.hooks())
            .logits().toFloatArray();
      }
      parts.add(Metrics.compute(logits, classes, data, first, count));
    }
    return Metrics.PerSequence.concat(parts);
  }
}
