package coopetition.transformer.mech;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.model.Transformer;
import java.util.List;

/**
 * The softmaxed attention patterns of every layer for a batch of sequences, copied off the device.
 * Indices here are 0-based (array positions); the measures report them 1-based.
 *
 * @param size sequences
 * @param layers layers
 * @param heads heads per layer
 * @param tokens tokens per sequence, {@code 2·context + 1} (the query's label is not a token)
 * @param values per layer, {@code [size, heads, tokens (query row), tokens (key column)]} row-major
 */
public record AttentionPatterns(int size, int layers, int heads, int tokens, float[][] values) {

  public AttentionPatterns {
    if (values.length != layers) {
      throw new IllegalArgumentException(values.length + " pattern arrays for " + layers + " layers");
    }
    for (float[] v : values) {
      if (v.length != (long) size * heads * tokens * tokens) {
        throw new IllegalArgumentException("pattern of " + v.length + " values is not [" + size + ", " + heads + ", "
            + tokens + ", " + tokens + "]");
      }
    }
  }

  /** Attention of sequence {@code seq}, layer {@code layer}, head {@code head} from token {@code from} to {@code to}. */
  public double at(int layer, int head, int seq, int from, int to) {
    return values[layer][((seq * heads + head) * tokens + from) * tokens + to];
  }

  /** The patterns of {@code net} on {@code data}, in forward passes of at most {@link CheckpointEval#CHUNK} sequences. */
  public static AttentionPatterns of(Network net, SequenceBatch data) {
    Transformer model = net.model();
    ModelConfig c = model.config();
    int t = ModelConfig.tokens(data.pairs());
    int per = c.numHeads() * t * t;
    float[][] values = new float[c.depth()][data.size() * per];
    for (int first = 0; first < data.size(); first += CheckpointEval.CHUNK) {
      int count = Math.min(CheckpointEval.CHUNK, data.size() - first);
      SequenceBatch b = data.slice(first, count);
      try (NDManager sm = net.scope()) {
        NDArray x = sm.create(b.examples(), new Shape(b.size(), b.pairs(), b.dim()));
        NDArray y = sm.create(b.labels(), new Shape(b.size(), b.pairs())).toType(DataType.INT64, false);
        List<NDArray> att = model.forward(x, y, Transformer.Readout.QUERY, true, net.hooks()).attention();
        for (int l = 0; l < c.depth(); l++) {
          float[] v = att.get(l).toType(DataType.FLOAT32, false).toFloatArray();
          System.arraycopy(v, 0, values[l], first * per, v.length);
        }
      }
    }
    return new AttentionPatterns(data.size(), c.depth(), c.numHeads(), t, values);
  }
}
