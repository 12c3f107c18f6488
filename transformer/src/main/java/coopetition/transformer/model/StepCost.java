package coopetition.transformer.model;

/**
 * The work of one training step (forward, backward, Adam) of {@link Transformer} on a batch, counted by
 * op: the numerator of the benchmark's floor (docs/PERFORMANCE.md, "The floor").
 *
 * <p>A matmul [m x k]·[k x n] is 2mkn FLOPs. The backward pass of a matmul is two matmuls of the same
 * size (input and weight gradients), except the example embedding, whose input needs no gradient.
 * Elementwise work ("softmax-ish": LayerNorms, the attention softmax, the log-softmax over the classes)
 * is counted at {@link #SOFTMAX_FLOPS} per softmax element and {@link #LAYER_NORM_FLOPS} per LayerNorm
 * element, backward the same again; it is a few percent of the total. The label embedding is a gather:
 * no FLOPs. Adam is memory-bound, so it enters the floor as bytes: it reads w, g, m, v and writes w, m,
 * v, {@link #ADAM_BYTES_PER_PARAMETER} bytes per float32 parameter.
 *
 * @param embedding example embedding [B·P x D]·[D x d], forward and backward (FLOPs per step)
 * @param qkv the query/key/value projections of every layer, forward and backward
 * @param attention scores q·kᵀ and pattern·v of every layer and head, forward and backward
 * @param output the attention output projection of every layer, forward and backward
 * @param mlp the MLP's two matmuls of every layer (0 for attention-only models), forward and backward
 * @param unembedding the query's logits [B x d]·[d x C], forward and backward
 * @param softmaxish LayerNorms, attention softmax and the log-softmax over C, forward and backward
 * @param adamBytes bytes Adam moves per step
 */
public record StepCost(long embedding, long qkv, long attention, long output, long mlp, long unembedding,
    long softmaxish, long adamBytes) {

  public static final int SOFTMAX_FLOPS = 5;
  public static final int LAYER_NORM_FLOPS = 8;
  public static final int ADAM_BYTES_PER_PARAMETER = 28;

  /**
   * The cost of one step at {@code batch} sequences of {@code pairs} exemplar-label pairs (context plus the
   * query) for a model with {@code parameters} trainable floats.
   */
  public static StepCost of(ModelConfig c, int batch, int pairs, long parameters) {
    long b = batch;
    long t = ModelConfig.tokens(pairs);
    long d = c.dModel();
    long layers = c.depth();
    long hidden = (long) c.mlpRatio() * d;
    long embedding = matmul(b * pairs, c.inputDim(), d) * 2; // forward + weight gradient only
    long qkv = layers * matmul(b * t, d, 3 * d) * 3;
    // per head [T x hd]·[hd x T] and [T x T]·[T x hd]; summed over heads hd·H = d
    long attention = layers * (matmul(b * t, d, t) + matmul(b * t, t, d)) * 3;
    long output = layers * matmul(b * t, d, d) * 3;
    long mlp = layers * (matmul(b * t, d, hidden) + matmul(b * t, hidden, d)) * 3;
    long unembedding = matmul(b, d, c.numClasses()) * 3;
    long layerNorms = (layers * (c.mlpRatio() > 0 ? 2 : 1) * b * t + b) * d * LAYER_NORM_FLOPS;
    long softmaxes = (layers * b * c.numHeads() * t * t + b * c.numClasses()) * SOFTMAX_FLOPS;
    long softmaxish = 2 * (layerNorms + softmaxes);
    return new StepCost(embedding, qkv, attention, output, mlp, unembedding, softmaxish,
        parameters * ADAM_BYTES_PER_PARAMETER);
  }

  /** FLOPs of [m x k]·[k x n]. */
  private static long matmul(long m, long k, long n) {
    return 2 * m * k * n;
  }

  /** Every FLOP of the step (forward and backward). */
  public long flops() {
    return embedding + qkv + attention + output + mlp + unembedding + softmaxish;
  }

  /**
   * The floor in seconds per step: the FLOPs at the machine's matmul rate plus Adam's bytes at its copy
   * bandwidth (no step can beat both).
   */
  public double floorSeconds(double gflops, double gigabytesPerSecond) {
    return flops() / (gflops * 1e9) + adamBytes / (gigabytesPerSecond * 1e9);
  }
}
