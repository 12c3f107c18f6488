package coopetition.transformer.eval;

import coopetition.transformer.data.SequenceBatch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Query-position metrics as the authors define them (main.py:131-180; PAPER-SETUP §2.4). With logits
 * {@code z} over all C output classes, target {@code y}, and {@code M[c] = 1} iff label c occurs among the
 * context labels:
 * <ul>
 *   <li>{@code loss} = −log softmax(z)[y] (full softmax);
 *   <li>{@code acc} = [argmax z = y];
 *   <li>{@code in_context_acc}, {@code in_context_loss}, {@code in_context_prob}: the same on
 *       {@code z' = M·z − (1−M)·1e20}, i.e. labels absent from the context are pushed to −1e20.
 * </ul>
 * The −1e20 is kept literally, so when the target is absent from the context (pure IWL) in_context_loss is
 * about 1e20 and in_context_prob 0, as in the authors' logs. Context labels ≥ C (possible only with a
 * mis-sized output layer) are ignored in the mask. Ties in argmax go to the lowest index, like jnp.argmax.
 */
public final class Metrics {
  public static final String LOSS = "loss";
  public static final String ACC = "acc";
  public static final String IN_CONTEXT_ACC = "in_context_acc";
  public static final String IN_CONTEXT_LOSS = "in_context_loss";
  public static final String IN_CONTEXT_PROB = "in_context_prob";
  /** Metric names in metrics.csv order. */
  public static final List<String> NAMES = List.of(LOSS, ACC, IN_CONTEXT_ACC, IN_CONTEXT_LOSS, IN_CONTEXT_PROB);

  /** The value the authors give logits of labels absent from the context. */
  public static final double MASKED_LOGIT = -1e20;

  private Metrics() {}

  /** Per-sequence values, each {@code [n]}. */
  public record PerSequence(double[] loss, double[] acc, double[] inContextAcc, double[] inContextLoss,
      double[] inContextProb) {

    public int size() {
      return loss.length;
    }

    /** The values of metric {@code name} (one of {@link #NAMES}). */
    public double[] get(String name) {
      return switch (name) {
        case LOSS -> loss;
        case ACC -> acc;
        case IN_CONTEXT_ACC -> inContextAcc;
        case IN_CONTEXT_LOSS -> inContextLoss;
        case IN_CONTEXT_PROB -> inContextProb;
        default -> throw new IllegalArgumentException("unknown metric " + name + "; one of " + NAMES);
      };
    }

    public double mean(String name) {
      double[] v = get(name);
      double s = 0;
      for (double x : v) {
        s += x;
      }
      return v.length == 0 ? Double.NaN : s / v.length;
    }

    /** Concatenates chunks computed separately (e.g. eval batches of 1000). */
    public static PerSequence concat(List<PerSequence> parts) {
      int n = parts.stream().mapToInt(PerSequence::size).sum();
      PerSequence out = new PerSequence(new double[n], new double[n], new double[n], new double[n], new double[n]);
      int at = 0;
      for (PerSequence p : parts) {
        for (String name : NAMES) {
          System.arraycopy(p.get(name), 0, out.get(name), at, p.size());
        }
        at += p.size();
      }
      return out;
    }
  }

  /** Metrics of every sequence of {@code batch}; {@code logits} is {@code [batch.size()·numClasses]} at the query. */
  public static PerSequence compute(float[] logits, int numClasses, SequenceBatch batch) {
    return compute(logits, numClasses, batch, 0, batch.size());
  }

  /**
   * Metrics of sequences {@code [first, first+count)} of {@code batch}, whose query logits are
   * {@code logits[(i−first)·numClasses ..]}; for evaluating a large set in chunks.
   */
  public static PerSequence compute(float[] logits, int numClasses, SequenceBatch batch, int first, int count) {
    if ((long) count * numClasses != logits.length) {
      throw new IllegalArgumentException("logits length " + logits.length + " != " + count + " sequences × " + numClasses + " classes");
    }
    if (first < 0 || first + count > batch.size()) {
      throw new IndexOutOfBoundsException("sequences [" + first + ", " + (first + count) + ") of " + batch.size());
    }
    PerSequence out = new PerSequence(new double[count], new double[count], new double[count], new double[count], new double[count]);
    // Sequences are independent, so blocks run in parallel with identical results; small inputs stay serial.
    int blocks = (count + BLOCK - 1) / BLOCK;
    IntStream range = IntStream.range(0, blocks);
    if ((long) count * numClasses >= PARALLEL_THRESHOLD) {
      range = range.parallel();
    }
    range.forEach(blk -> computeBlock(logits, numClasses, batch, first, blk * BLOCK, Math.min(count, (blk + 1) * BLOCK), out));
    return out;
  }

  private static final int BLOCK = 64;
  private static final long PARALLEL_THRESHOLD = 1L << 20;

  private static void computeBlock(float[] logits, int numClasses, SequenceBatch batch, int first, int from, int to,
      PerSequence out) {
    int ctx = batch.contextLength();
    boolean[] mask = new boolean[numClasses];
    for (int s = from; s < to; s++) {
      int i = first + s;
      int y = batch.target(i);
      if (y < 0 || y >= numClasses) {
        throw new IllegalArgumentException("target " + y + " of sequence " + i + " is outside the " + numClasses + " output classes");
      }
      int off = s * numClasses;
      // Full softmax: stable log-sum-exp and argmax in one pass.
      double max = Double.NEGATIVE_INFINITY;
      int argmax = 0;
      for (int c = 0; c < numClasses; c++) {
        double z = logits[off + c];
        if (z > max) {
          max = z;
          argmax = c;
        }
      }
      double sum = 0;
      for (int c = 0; c < numClasses; c++) {
        sum += Math.exp(logits[off + c] - max);
      }
      double lse = max + Math.log(sum);
      out.loss[s] = lse - logits[off + y];
      out.acc[s] = argmax == y ? 1 : 0;

      // In-context: only labels present in the context keep their logits.
      int present = 0;
      double cmax = Double.NEGATIVE_INFINITY;
      int cargmax = -1;
      for (int p = 0; p < ctx; p++) {
        int l = batch.label(i, p);
        if (l >= 0 && l < numClasses && !mask[l]) {
          mask[l] = true;
          present++;
          double z = logits[off + l];
          if (z > cmax || (z == cmax && l < cargmax)) {
            cmax = z;
            cargmax = l;
          }
        }
      }
      if (present == 0) {
        // Every logit is −1e20: softmax is uniform over all C classes and argmax is class 0.
        out.inContextAcc[s] = y == 0 ? 1 : 0;
        out.inContextLoss[s] = Math.log(numClasses);
        out.inContextProb[s] = 1.0 / numClasses;
      } else {
        double csum = 0;
        for (int p = 0; p < ctx; p++) {
          int l = batch.label(i, p);
          if (l >= 0 && l < numClasses && mask[l]) {
            csum += Math.exp(logits[off + l] - cmax);
            mask[l] = false; // count each label once, and leave the mask clean for the next sequence
          }
        }
        // Masked classes contribute exp(−1e20 − cmax) = 0 to the sum, as in float arithmetic.
        double clse = cmax + Math.log(csum);
        boolean targetIn = batch.contextHasLabel(i, y);
        double zy = targetIn ? logits[off + y] : MASKED_LOGIT;
        out.inContextAcc[s] = cargmax == y ? 1 : 0;
        out.inContextLoss[s] = clse - zy;
        out.inContextProb[s] = Math.exp(zy - clse);
      }
    }
  }

  /** Means keyed {@code <prefix>_<metric>}, in {@link #NAMES} order (metrics.csv columns). */
  public static Map<String, Double> means(String prefix, PerSequence m) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String name : NAMES) {
      out.put(prefix + "_" + name, m.mean(name));
    }
    return out;
  }

  /** Means for one evaluator's set, keyed by its {@link Evaluator#columnPrefix()}. */
  public static Map<String, Double> means(EvalSet set, float[] logits, int numClasses) {
    return means(set.evaluator().columnPrefix(), compute(logits, numClasses, set.data()));
  }
}
