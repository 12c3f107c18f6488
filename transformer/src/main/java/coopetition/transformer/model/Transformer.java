package coopetition.transformer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import coopetition.transformer.model.HookPoint.Site;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The causal pre-LN transformer of PAPER-SETUP §3, written from NDArray ops so that every attention
 * pattern can be read back. Tokens are interleaved {@code x1 l1 x2 l2 ... xq}; the prediction is read at
 * exemplar tokens (the query's is the one that is trained and evaluated).
 *
 * <p>Stateless apart from its parameters: {@link #forward} builds the graph inside whatever gradient
 * scope the caller opened, and every intermediate is attached to the manager of the inputs, so a
 * caller that closes a per-step manager frees everything.
 */
public final class Transformer {
  private static final float LN_EPS = 1e-5f;
  /** What the authors subtract from masked scores; exp underflows to exactly 0 in float and double. */
  private static final float MASKED = -1e20f;
  private static final double GELU_C = Math.sqrt(2 / Math.PI);

  private final ModelConfig config;
  private final Parameters params;

  public Transformer(Parameters params) {
    this.config = params.config();
    this.params = params;
  }

  public ModelConfig config() {
    return config;
  }

  public Parameters parameters() {
    return params;
  }

  /** Which outputs a forward pass should produce beyond the query logits. */
  public enum Readout {
    /** Logits at the query exemplar token only: [B, C] (training and evaluation). */
    QUERY,
    /** Logits at every exemplar token: [B, P, C] (the authors' {@code out = unembedding[0::2]}). */
    ALL_EXEMPLARS
  }

  /**
   * Result of a forward pass.
   *
   * @param logits [B, C] for {@link Readout#QUERY}, [B, P, C] for {@link Readout#ALL_EXEMPLARS}
   * @param attention per layer, the softmaxed pattern [B, H, T, T] (query row, key column); empty unless asked for
   * @param cache the hook points the {@link Hooks} asked to read, in the order the pass visited them
   */
  public record Output(NDArray logits, List<NDArray> attention, Map<HookPoint, NDArray> cache) {}

  /**
   * @param examples [B, P, D] exemplar features, the last pair being the query
   * @param labels [B, P] integer labels (the query's own label is ignored)
   */
  public Output forward(NDArray examples, NDArray labels, Readout readout, boolean keepAttention) {
    return forward(examples, labels, readout, keepAttention, Hooks.NONE);
  }

  /**
   * A forward pass that reads and overrides the {@link HookPoint}s named in {@code hooks}; with
   * {@link Hooks#NONE} the same ops as the plain pass.
   */
  public Output forward(NDArray examples, NDArray labels, Readout readout, boolean keepAttention, Hooks hooks) {
    return forward(examples, labels, readout, keepAttention, hooks, null, true);
  }

  /**
   * Query logits of a training pass whose attention cores run in {@code pass}'s Java kernel; its
   * {@link KernelPass#backward} then fills the parameters' gradients. Not for rotary positions.
   */
  public NDArray queryLogits(NDArray examples, NDArray labels, KernelPass pass) {
    beginJavaPass(pass);
    return forward(examples, labels, Readout.QUERY, false, Hooks.NONE, pass, true).logits();
  }

  /**
   * {@code kernels=java}'s training pass to its loss: the query cross-entropy against {@code targets} in
   * {@code pass}'s Java loss, which also adds the unembedding's bias (so the logits here are computed without
   * it); {@link KernelPass#backward()} then fills the parameters' gradients. The slice's share of a loss
   * averaged over {@code batch} sequences.
   */
  public NDArray queryLoss(NDArray examples, NDArray labels, int[] targets, int batch, KernelPass pass) {
    beginJavaPass(pass);
    NDArray logits = forward(examples, labels, Readout.QUERY, false, Hooks.NONE, pass, false).logits();
    return pass.crossEntropy(logits, param(pass, "unembed.bias"), targets, batch);
  }

  private Output forward(NDArray examples, NDArray labels, Readout readout, boolean keepAttention, Hooks hooks,
      KernelPass kernel, boolean unembedBias) {
    Shape s = examples.getShape();
    long b = s.get(0);
    long pairs = s.get(1);
    int t = ModelConfig.tokens((int) pairs);
    int d = config.dModel();
    if (t > config.maxSeqLen() && config.positional() == PositionalEncoding.LEARNED) {
      throw new IllegalArgumentException(t + " tokens exceed the model's " + config.maxSeqLen() + " position slots");
    }
    NDManager m = examples.getManager();
    Hooks.Pass hk = hooks.open(config);
    NDArray tok = embedTokens(examples, labels, hk, kernel);
    NDArray rotCos = null;
    NDArray rotSin = null;
    switch (config.positional()) {
      case LEARNED -> {
        // A slice lands in its source's manager: move it to this pass's, or every step leaks one.
        NDArray pos = param(kernel, "pos_embed.weight").get(new NDIndex(":{}", t));
        pos.attach(m);
        tok = tok.add(hk.at(Site.POS_EMBED, pos));
      }
      case SINUSOIDAL -> tok = tok.add(hk.at(Site.POS_EMBED,
          m.create(Positions.sinusoidal(t, d, config.sinTime()), new Shape(t, d)).toType(tok.getDataType(), false)));
      case ROTARY -> {
        int half = config.headDim() / 2;
        double[][] cs = Positions.rotary(t, config.headDim(), config.sinTime());
        rotCos = m.create(cs[0], new Shape(t, half)).toType(tok.getDataType(), false);
        rotSin = m.create(cs[1], new Shape(t, half)).toType(tok.getDataType(), false);
      }
      default -> throw new IllegalStateException();
    }
    NDArray causal = kernel == null ? causalMask(m, t, tok.getDataType()) : null; // the Java core masks itself
    List<NDArray> patterns = new ArrayList<>();
    NDArray h = tok;
    for (int l = 0; l < config.depth(); l++) {
      String p = "block" + l + ".";
      if (kernel != null) {
        h = kernel.cut(l, h);
      }
      h = hk.at(Site.RESID_PRE, l, h);
      NDArray x = layerNorm(h, p + "ln1", kernel);
      NDArray[] att = attention(x, l, causal, rotCos, rotSin, hk, kernel);
      h = h.add(hk.at(Site.ATTN_OUT, l, att[0]));
      if (keepAttention) {
        patterns.add(att[1]);
      }
      if (config.mlpRatio() > 0) {
        h = hk.at(Site.RESID_MID, l, h);
        NDArray y = layerNorm(h, p + "ln2", kernel);
        y = Linear.linear(y, param(kernel, p + "mlp.fc1.weight"), param(kernel, p + "mlp.fc1.bias")).head();
        y = geluTanh(y);
        y = Linear.linear(y, param(kernel, p + "mlp.fc2.weight"), param(kernel, p + "mlp.fc2.bias")).head();
        h = h.add(hk.at(Site.MLP_OUT, l, y));
      }
      h = hk.at(Site.RESID_POST, l, h);
    }
    NDArray read = readout == Readout.QUERY
        ? h.get(new NDIndex(":, {}", t - 1))
        : h.get(new NDIndex(":, ::2"));
    read = hk.at(Site.LN_FINAL, layerNorm(read, "ln_final", kernel));
    NDArray logits = unembedBias
        ? Linear.linear(read, param(kernel, "unembed.weight"), param(kernel, "unembed.bias")).head()
        : Linear.linear(read, param(kernel, "unembed.weight")).head();
    logits = hk.at(Site.LOGITS, logits);
    return new Output(logits, patterns, hk.cache());
  }

  /**
   * The tokens before positions, [B, T, d]: token 2p is exemplar p's embedding, token 2p+1 label p's, and the
   * query's label token is dropped (T = 2P - 1). Also {@link TapeFreeStep}'s forward, whose backward follows this order.
   */
  NDArray embedTokens(NDArray examples, NDArray labels, Hooks.Pass hk, KernelPass kernel) {
    long b = examples.getShape().get(0);
    long pairs = examples.getShape().get(1);
    NDArray ex = Linear.linear(examples, param(kernel, "example_embed.weight"), param(kernel, "example_embed.bias")).head();
    ex = hk.at(Site.EMBED_EXAMPLE, ex);
    NDArray lab = Embedding.embedding(labels.toType(DataType.INT64, false), param(kernel, "label_embed.weight"),
        SparseFormat.DENSE).head();
    lab = hk.at(Site.EMBED_LABEL, lab);
    // [B, P, 2, d] -> [B, 2P, d], then drop the query's label token.
    NDArray tok = ex.stack(lab, 2).reshape(b, 2 * pairs, config.dModel()).get(new NDIndex(":, :{}",
        ModelConfig.tokens((int) pairs)));
    return hk.at(Site.EMBED_TOKEN, tok);
  }

  private void beginJavaPass(KernelPass pass) {
    if (config.positional() == PositionalEncoding.ROTARY) {
      throw new IllegalArgumentException("the Java attention kernel does not rotate queries and keys; use the libtorch core");
    }
    pass.begin();
  }

  /** Query logits only: the training and evaluation path. */
  public NDArray queryLogits(NDArray examples, NDArray labels) {
    return forward(examples, labels, Readout.QUERY, false).logits();
  }

  private NDArray layerNorm(NDArray x, String name, KernelPass kernel) {
    return LayerNorm.layerNorm(x, new Shape(config.dModel()), param(kernel, name + ".gamma"),
        param(kernel, name + ".beta"), LN_EPS).head();
  }

  /** A parameter as the pass reads it: the stored array, or with a Java-kernel pass its per-step leaf if it has one. */
  private NDArray param(KernelPass kernel, String name) {
    return kernel == null ? params.get(name) : kernel.parameter(name, params);
  }

  /** Returns {output [B,T,d], pattern [B,H,T,T]}. */
  private NDArray[] attention(NDArray x, int layer, NDArray causal, NDArray rotCos, NDArray rotSin, Hooks.Pass hk,
      KernelPass kernel) {
    String p = "block" + layer + ".";
    Shape s = x.getShape();
    long b = s.get(0);
    long t = s.get(1);
    int h = config.numHeads();
    int hd = config.headDim();
    if (kernel != null) { // the Java core works channel-major: the same products with reordered weights
      NDArray qkv = Linear.linear(x, kernel.channelMajorQkv(p + "attn.qkv", params, h, hd, x.getManager())).head();
      NDArray z = kernel.core(layer, qkv, h, hd);
      return new NDArray[] {Linear.linear(z, kernel.channelMajorProjection(p + "attn.proj", params, h, hd,
          x.getManager())).head(),
          null};
    }
    // qkv features are [q | k | v], head i using dims hd*i .. hd*i+hd-1 of each.
    NDArray qkvFlat = Linear.linear(x, param(kernel, p + "attn.qkv")).head();
    NDArray qkv = qkvFlat.reshape(b, t, 3, h, hd).transpose(2, 0, 3, 1, 4); // [3, B, H, T, hd]
    NDList parts = qkv.split(3, 0);
    NDArray q = parts.get(0).squeeze(0);
    NDArray k = parts.get(1).squeeze(0);
    NDArray v = parts.get(2).squeeze(0);
    if (rotCos != null) {
      q = rotate(q, rotCos, rotSin);
      k = rotate(k, rotCos, rotSin);
    }
    q = hk.at(Site.Q, layer, q);
    k = hk.at(Site.K, layer, k);
    v = hk.at(Site.V, layer, v);
    NDArray scores = Scalars.times(q.matMul(k.transpose(0, 1, 3, 2)), 1 / Math.sqrt(hd)).add(causal);
    scores = hk.at(Site.SCORES, layer, scores);
    NDArray pattern = hk.at(Site.PATTERN, layer, scores.softmax(-1));
    NDArray z = hk.at(Site.Z, layer, pattern.matMul(v));
    NDArray out = z.transpose(0, 2, 1, 3).reshape(b, t, (long) h * hd);
    out = Linear.linear(out, param(kernel, p + "attn.proj")).head();
    return new NDArray[] {out, pattern};
  }

  /** Rotates interleaved pairs (x[2m], x[2m+1]) at position p by angle p / T^(2m/hd). */
  private static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
    Shape s = x.getShape();
    NDArray pairs = x.reshape(s.get(0), s.get(1), s.get(2), s.get(3) / 2, 2);
    NDArray x0 = pairs.get(new NDIndex("..., 0"));
    NDArray x1 = pairs.get(new NDIndex("..., 1"));
    NDArray r0 = x0.mul(cos).sub(x1.mul(sin));
    NDArray r1 = x0.mul(sin).add(x1.mul(cos));
    return r0.stack(r1, -1).reshape(s);
  }

  private static NDArray causalMask(NDManager m, int t, DataType dtype) {
    float[] v = new float[t * t];
    for (int i = 0; i < t; i++) {
      for (int j = i + 1; j < t; j++) {
        v[i * t + j] = MASKED;
      }
    }
    return m.create(v, new Shape(t, t)).toType(dtype, false);
  }

  /** GELU with the tanh approximation (jax.nn.gelu's default), written out because DJL's uses erf. */
  static NDArray geluTanh(NDArray x) {
    NDArray cubic = Scalars.times(Scalars.power(x, 3), 0.044715);
    NDArray inner = Scalars.times(x.add(cubic), GELU_C).tanh().add(1); // add's backward keeps no operand
    return Scalars.times(x.mul(inner), 0.5);
  }
}
