package coopetition.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.mech.Network;
import coopetition.transformer.model.HookPoint;
import coopetition.transformer.model.HookPoint.Site;
import coopetition.transformer.model.Hooks;
import coopetition.transformer.model.Transformer;
import java.util.Map;

/**
 * The residual stream at the query token, read through the model's hook points: index 0 is what enters the
 * first block (embeddings and positions), index {@code l} what leaves block {@code l} (layers from 1).
 */
public final class ResidualStream {
  static final int CHUNK = 1000;

  private ResidualStream() {}

  /** {@code [depth + 1][sequences][d_model]}. */
  public static float[][][] atQuery(Network net, SequenceBatch data) {
    int depth = net.model().config().depth();
    int d = net.model().config().dModel();
    HookPoint[] points = new HookPoint[depth + 1];
    points[0] = HookPoint.of(Site.RESID_PRE, 0);
    for (int l = 0; l < depth; l++) {
      points[l + 1] = HookPoint.of(Site.RESID_POST, l);
    }
    Hooks hooks = net.hooks().cache(points);
    float[][][] out = new float[depth + 1][data.size()][];
    int q = 2 * data.pairs() - 2;
    for (int first = 0; first < data.size(); first += CHUNK) {
      int count = Math.min(CHUNK, data.size() - first);
      SequenceBatch b = data.slice(first, count);
      try (NDManager sm = net.scope()) {
        NDArray x = sm.create(b.examples(), new Shape(b.size(), b.pairs(), b.dim()));
        NDArray y = sm.create(b.labels(), new Shape(b.size(), b.pairs())).toType(DataType.INT64, false);
        Map<HookPoint, NDArray> cache = net.model().forward(x, y, Transformer.Readout.QUERY, false, hooks).cache();
        for (int l = 0; l <= depth; l++) {
          float[] v = cache.get(points[l]).get(new NDIndex(":, {}", q)).toType(DataType.FLOAT32, false).toFloatArray();
          for (int i = 0; i < count; i++) {
            out[l][first + i] = java.util.Arrays.copyOfRange(v, i * d, (i + 1) * d);
          }
        }
      }
    }
    return out;
  }
}
