package coopetition.transformer.config;

import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.model.PositionalEncoding;

/**
 * The model fields that do not depend on the data; the feature bank supplies the input width and the
 * class count ({@link #model}). Validated at once by building a stand-in model config, so a bad value
 * fails before any output exists, with ModelConfig's own message.
 */
public record Architecture(int dModel, int heads, int depth, int maxSeqLen, PositionalEncoding positional,
    double sinTime, int mlpRatio) {

  public Architecture {
    new ModelConfig(1, 2, dModel, heads, depth, maxSeqLen, positional, sinTime, mlpRatio);
  }

  /** The full model config for a bank of width {@code inputDim} and {@code outputClasses} classes. */
  public ModelConfig model(int inputDim, int outputClasses) {
    return new ModelConfig(inputDim, outputClasses, dModel, heads, depth, maxSeqLen, positional, sinTime, mlpRatio);
  }

  public Architecture withPositional(PositionalEncoding p) {
    return new Architecture(dModel, heads, depth, maxSeqLen, p, sinTime, mlpRatio);
  }

  public Architecture withMlpRatio(int ratio) {
    return new Architecture(dModel, heads, depth, maxSeqLen, positional, sinTime, ratio);
  }
}
