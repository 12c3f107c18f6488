package coopetition.transformer.model;

import static coopetition.common.UserInputException.requireField;

import coopetition.common.UserInputException;

/**
 * Shape of the causal pre-LN transformer of PAPER-SETUP §3.
 *
 * @param inputDim width D of an exemplar feature vector (512 for the Omniglot features)
 * @param numClasses output classes C; also the size of the label-embedding table
 * @param dModel residual width (64)
 * @param numHeads attention heads (8, so head width 8)
 * @param depth number of blocks (2)
 * @param maxSeqLen learned position slots (32); sequences must fit
 * @param positional absolute learned, sinusoidal, or rotary positions
 * @param sinTime base T of the sinusoidal/rotary frequencies (the authors use 30)
 * @param mlpRatio hidden width of the MLP as a multiple of dModel; 0 means attention-only
 */
public record ModelConfig(int inputDim, int numClasses, int dModel, int numHeads, int depth, int maxSeqLen,
    PositionalEncoding positional, double sinTime, int mlpRatio) {

  public ModelConfig {
    // Errors name the training settings that hold these fields (d_model, heads ...).
    UserInputException.require(inputDim > 0, "model input_dim must be positive, got " + inputDim);
    requireField(numClasses >= 2, "classes", "must be at least 2, got " + numClasses);
    requireField(dModel > 0 && numHeads > 0 && dModel % numHeads == 0, "d_model",
        dModel + " must be a positive multiple of heads (" + numHeads + ")");
    requireField(depth >= 1, "depth", "must be at least 1, got " + depth);
    requireField(maxSeqLen >= 1, "max_seq_len", "must be positive, got " + maxSeqLen);
    requireField(positional != null, "positional", "must be one of learned, sinusoidal, rotary");
    requireField(sinTime > 0, "sin_time", "must be positive, got " + sinTime);
    requireField(mlpRatio >= 0, "mlp_ratio", "must be >= 0 (0 = attention-only), got " + mlpRatio);
    requireField(positional != PositionalEncoding.ROTARY || (dModel / numHeads) % 2 == 0, "positional",
        "rotary positions need an even head width d_model/heads, got " + (dModel / numHeads));
  }

  /** The authors' 2-layer attention-only model for a given input width and class count. */
  public static ModelConfig paper(int inputDim, int numClasses) {
    return new ModelConfig(inputDim, numClasses, 64, 8, 2, 32, PositionalEncoding.LEARNED, 30, 0);
  }

  public int headDim() {
    return dModel / numHeads;
  }

  /** Tokens for {@code pairs} exemplar-label pairs: x1 l1 ... xq, the query's own label dropped. */
  public static int tokens(int pairs) {
    return 2 * pairs - 1;
  }
}
