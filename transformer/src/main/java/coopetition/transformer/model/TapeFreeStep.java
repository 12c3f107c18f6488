package coopetition.transformer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code kernels=java}'s training step with a hand-written backward: libtorch runs the matrix products and the
 * LayerNorms' forward, with its autograd off; the attention core, the loss, the LayerNorms' backward, the residual
 * sums and the embeddings' gradients run in Java. Autograd's bookkeeping (a node per op, an engine run per piece,
 * a leaf per parameter) was about an eighth of a batch-128 step (docs/PERFORMANCE.md).
 *
 * <p>For attention-only models with learned or sinusoidal positions ({@link #serves}); the gradients are
 * autograd's up to float rounding (tested). One step at a time; reused from step to step.
 */
public final class TapeFreeStep implements AutoCloseable {
  private static final float LN_EPS = 1e-5f;
  private final ModelConfig c;
  private final NDManager own;
  /** The attention weights in the layout the core reads, refreshed at every step. */
  private final ChannelMajorWeights channelMajor;
  private AttentionKernel[] cores = new AttentionKernel[0];
  private float[] biasGrad = new float[0];
  private final ClassMajorCrossEntropy.Workspace lossWork = new ClassMajorCrossEntropy.Workspace();
  /** LayerNorm's backward's copies of its input, output gradient and result (kept from call to call). */
  private float[] lnIn = new float[0];
  private float[] lnGrad = new float[0];
  private float[] lnOut = new float[0];

  /** The loss of a step (the batch mean, or this slice's share of it) and every parameter's gradient by name. */
  public record Result(float loss, Map<String, NDArray> gradients) {}

  public TapeFreeStep(ModelConfig c, NDManager parent) {
    this.c = c;
    this.own = parent.newSubManager();
    this.channelMajor = new ChannelMajorWeights(c, own);
  }

  /** Whether this step can train {@code c}: no MLPs, no rotary positions, an even head width. */
  public static boolean serves(ModelConfig c) {
    return c.mlpRatio() == 0 && c.positional() != PositionalEncoding.ROTARY && c.headDim() % 2 == 0;
  }

  /**
   * Forward and backward of {@code b} sequences ({@code examples} [b, pairs, dim], {@code labels} [b, pairs]) in
   * {@code sm}: the sum of their query cross-entropies divided by {@code batch}, and its gradient.
   */
  public Result step(Parameters params, NDManager sm, float[] examples, int[] labels, int b, int pairs, int dim,
      int batch) {
    boolean mode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return run(params, sm, examples, labels, b, pairs, dim, batch);
    } finally {
      JniUtils.setGradMode(mode);
    }
  }

  private Result run(Parameters params, NDManager sm, float[] examples, int[] labels, int b, int pairs, int dim,
      int batch) {
    int d = c.dModel();
    int t = ModelConfig.tokens(pairs);
    int k = c.numClasses();
    int depth = c.depth();
    channelMajor.refresh(params);
    if (cores.length != depth || !cores[0].fits(b, t, c.numHeads(), c.headDim())) {
      cores = new AttentionKernel[depth];
      for (int l = 0; l < depth; l++) {
        cores[l] = new AttentionKernel(b, t, c.numHeads(), c.headDim());
      }
    }
    // forward
    NDArray x = HostArrays.floats(sm, examples, new Shape(b, pairs, dim));
    NDArray y = HostArrays.longs(sm, labels, new Shape(b, pairs));
    NDArray tok = new Transformer(params).embedTokens(x, y, Hooks.NONE.open(c), null); // the model's token order
    NDArray h;
    if (c.positional() == PositionalEncoding.LEARNED) {
      NDArray pos = params.get("pos_embed.weight").get(new NDIndex(":{}", t));
      pos.attach(sm);
      h = tok.add(pos);
    } else {
      h = tok.add(sm.create(Positions.sinusoidal(t, d, c.sinTime()), new Shape(t, d)));
    }
    NDArray[] in = new NDArray[depth];
    NDArray[] ln = new NDArray[depth];
    NDArray[] qkv = new NDArray[depth];
    NDArray[] z = new NDArray[depth];
    for (int l = 0; l < depth; l++) {
      String p = "block" + l + ".";
      in[l] = h;
      ln[l] = LayerNorm.layerNorm(h, new Shape(d), params.get(p + "ln1.gamma"), params.get(p + "ln1.beta"), LN_EPS).head();
      qkv[l] = Linear.linear(ln[l], channelMajor.copyOf(p + "attn.qkv")).head();
      z[l] = sm.create(new Shape(b, t, d), DataType.FLOAT32);
      cores[l].forward(HostArrays.bytes(qkv[l]), HostArrays.bytes(z[l]));
      h = h.add(Linear.linear(z[l], channelMajor.copyOf(p + "attn.proj")).head());
    }
    NDArray read = sm.create(new Shape(b, d), DataType.FLOAT32); // the query token's residual
    FloatBuffer hb = HostArrays.bytes(h).asFloatBuffer();
    FloatBuffer rb = HostArrays.bytes(read).asFloatBuffer();
    float[] row = new float[d];
    for (int i = 0; i < b; i++) {
      hb.get((i * t + t - 1) * d, row);
      rb.put(i * d, row);
    }
    NDArray readLn = LayerNorm.layerNorm(read, new Shape(d), params.get("ln_final.gamma"), params.get("ln_final.beta"),
        LN_EPS).head();
    // class-major logits [k, b]: W · readLn^T; then the gradient's two products are the fast forms (ClassMajorCrossEntropy)
    NDArray unembed = params.get("unembed.weight");
    NDArray logits = unembed.matMul(readLn.transpose());
    logits.attach(sm);
    int[] targets = new int[b];
    for (int i = 0; i < b; i++) {
      targets[i] = labels[i * pairs + pairs - 1];
      if (targets[i] < 0 || targets[i] >= k) {
        throw new IllegalArgumentException("target " + targets[i] + " outside 0.." + (k - 1));
      }
    }
    if (biasGrad.length != k) {
      biasGrad = new float[k];
    }
    java.util.Arrays.fill(biasGrad, 0f);
    // the gradient is written over the logits: their lines are still in cache from the loss's first pass
    ByteBuffer logitBytes = HostArrays.bytes(logits);
    float lossSum = ClassMajorCrossEntropy.lossAndGradient(logitBytes, HostArrays.bytes(params.get("unembed.bias")),
        logitBytes, biasGrad, b, k, targets, 1f / batch, lossWork);
    NDArray logitsGradient = logits;

    // backward
    Map<String, NDArray> g = new LinkedHashMap<>();
    g.put("unembed.weight", logitsGradient.matMul(readLn));
    g.put("unembed.bias", HostArrays.floats(sm, biasGrad, new Shape(k)));
    NDArray gradientT = logitsGradient.transpose();
    NDArray dReadLn = gradientT.matMul(unembed);
    NDArray dRead = sm.create(new Shape(b, d), DataType.FLOAT32);
    float[] dGamma = new float[d];
    float[] dBeta = new float[d];
    layerNormBackward(HostArrays.bytes(read).asFloatBuffer(), HostArrays.bytes(dReadLn).asFloatBuffer(),
        HostArrays.bytes(params.get("ln_final.gamma")).asFloatBuffer(), HostArrays.bytes(dRead).asFloatBuffer(), b, d,
        dGamma, dBeta, false);
    g.put("ln_final.gamma", HostArrays.floats(sm, dGamma, new Shape(d)));
    g.put("ln_final.beta", HostArrays.floats(sm, dBeta, new Shape(d)));
    NDArray dh = sm.zeros(new Shape(b, t, d), DataType.FLOAT32);
    FloatBuffer dhb = HostArrays.bytes(dh).asFloatBuffer();
    FloatBuffer drb = HostArrays.bytes(dRead).asFloatBuffer();
    for (int i = 0; i < b; i++) {
      drb.get(i * d, row);
      dhb.put((i * t + t - 1) * d, row);
    }
    for (int l = depth - 1; l >= 0; l--) {
      String p = "block" + l + ".";
      NDArray dFlat = dh.reshape(-1, d);
      NDArray dProj = dFlat.transpose().matMul(z[l].reshape(-1, d)); // channel-major columns
      NDArray dz = dh.matMul(channelMajor.copyOf(p + "attn.proj"));
      NDArray dqkv = sm.create(qkv[l].getShape(), DataType.FLOAT32);
      cores[l].backward(HostArrays.bytes(qkv[l]), HostArrays.bytes(dz), HostArrays.bytes(dqkv));
      NDArray dQkv = dqkv.reshape(-1, 3L * d).transpose().matMul(ln[l].reshape(-1, d)); // channel-major rows
      NDArray dLn = dqkv.matMul(channelMajor.copyOf(p + "attn.qkv"));
      g.put(p + "attn.qkv", channelMajor.toStored(p + "attn.qkv", dQkv, sm));
      g.put(p + "attn.proj", channelMajor.toStored(p + "attn.proj", dProj, sm));
      float[] dg = new float[d];
      float[] db = new float[d];
      // dh += LayerNorm's backward of dLn: the residual stream's gradient below this block
      layerNormBackward(HostArrays.bytes(in[l]).asFloatBuffer(), HostArrays.bytes(dLn).asFloatBuffer(),
          HostArrays.bytes(params.get(p + "ln1.gamma")).asFloatBuffer(), dhb, b * t, d, dg, db, true);
      g.put(p + "ln1.gamma", HostArrays.floats(sm, dg, new Shape(d)));
      g.put(p + "ln1.beta", HostArrays.floats(sm, db, new Shape(d)));
    }
    embeddingGradients(params, sm, x, labels, dhb, b, pairs, dim, t, d, g);
    Map<String, NDArray> ordered = new LinkedHashMap<>();
    for (String name : params.arrays().keySet()) {
      NDArray a = g.get(name);
      if (a == null) {
        throw new IllegalStateException("no gradient for " + name);
      }
      ordered.put(name, a);
    }
    return new Result(lossSum / batch, ordered);
  }

  /** The example embedding's (a GEMM and a row sum), the label embedding's (a scatter) and the positions'. */
  private void embeddingGradients(Parameters params, NDManager sm, NDArray x, int[] labels, FloatBuffer dh, int b,
      int pairs, int dim, int t, int d, Map<String, NDArray> g) {
    NDArray dEx = sm.create(new Shape((long) b * pairs, d), DataType.FLOAT32);
    FloatBuffer dex = HostArrays.bytes(dEx).asFloatBuffer();
    float[] row = new float[d];
    float[] dBias = new float[d];
    for (int i = 0; i < b; i++) {
      for (int p = 0; p < pairs; p++) {
        dh.get((i * t + 2 * p) * d, row);
        dex.put((i * pairs + p) * d, row);
        for (int j = 0; j < d; j++) {
          dBias[j] += row[j];
        }
      }
    }
    g.put("example_embed.weight", dEx.transpose().matMul(x.reshape(-1, dim)));
    g.put("example_embed.bias", HostArrays.floats(sm, dBias, new Shape(d)));
    NDArray table = params.get("label_embed.weight");
    NDArray dTable = sm.zeros(table.getShape(), DataType.FLOAT32);
    FloatBuffer dt = HostArrays.bytes(dTable).asFloatBuffer();
    float[] acc = new float[d];
    for (int i = 0; i < b; i++) {
      for (int p = 0; p < pairs - 1; p++) { // the query's label token is dropped: its row gets nothing
        int label = labels[i * pairs + p];
        dh.get((i * t + 2 * p + 1) * d, row);
        dt.get(label * d, acc);
        for (int j = 0; j < d; j++) {
          acc[j] += row[j];
        }
        dt.put(label * d, acc);
      }
    }
    g.put("label_embed.weight", dTable);
    if (params.has("pos_embed.weight")) {
      float[] dp = new float[t * d];
      float[] seq = new float[t * d];
      for (int i = 0; i < b; i++) {
        dh.get(i * t * d, seq);
        for (int j = 0; j < t * d; j++) {
          dp[j] += seq[j];
        }
      }
      NDArray dPos = sm.zeros(params.get("pos_embed.weight").getShape(), DataType.FLOAT32);
      HostArrays.bytes(dPos).asFloatBuffer().put(0, dp);
      g.put("pos_embed.weight", dPos);
    }
  }

  /**
   * LayerNorm's backward over {@code rows} rows of width d: from its input x and the output's gradient dy, the
   * input's gradient (written to dx, or added to it with {@code add}), and gamma's and beta's gradients added to
   * dGamma and dBeta. Mean and variance recomputed from x.
   */
  void layerNormBackward(FloatBuffer x, FloatBuffer dy, FloatBuffer gamma, FloatBuffer dx, int rows, int d,
      float[] dGamma, float[] dBeta, boolean add) {
    int n = rows * d;
    if (lnIn.length < n) { // one bulk copy each way (a copy a row cost more than the arithmetic), into kept arrays
      lnIn = new float[n];
      lnGrad = new float[n];
      lnOut = new float[n];
    }
    float[] xs = lnIn;
    float[] gs = lnGrad;
    float[] out = lnOut;
    float[] gm = new float[d];
    float[] xh = new float[d];
    float[] gh = new float[d];
    float[] prod = new float[d];
    x.get(0, xs, 0, n);
    dy.get(0, gs, 0, n);
    gamma.get(0, gm);
    if (add) {
      dx.get(0, out, 0, n);
    } else {
      java.util.Arrays.fill(out, 0, n, 0f);
    }
    if (CrossEntropyKernel.VECTOR && LayerNormVector.fits(d)) {
      float[] lanes = new float[d];
      for (int r = 0; r < rows; r++) {
        LayerNormVector.backwardRow(xs, gs, gm, out, r * d, d, dGamma, dBeta, xh, gh, lanes, LN_EPS);
      }
      dx.put(0, out, 0, n);
      return;
    }
    for (int r = 0; r < rows; r++) {
      int o = r * d;
      float mean = sum8(xs, o, d) / d;
      for (int j = 0; j < d; j++) {
        float e = xs[o + j] - mean;
        xh[j] = e * e;
      }
      float var = sum8(xh, 0, d) / d;
      float rstd = (float) (1 / Math.sqrt(var + LN_EPS));
      for (int j = 0; j < d; j++) {
        float g = gs[o + j];
        xh[j] = (xs[o + j] - mean) * rstd;
        gh[j] = g * gm[j];
        dGamma[j] += g * xh[j];
        dBeta[j] += g;
      }
      float sumG = sum8(gh, 0, d);
      for (int j = 0; j < d; j++) {
        prod[j] = gh[j] * xh[j];
      }
      float sumGx = sum8(prod, 0, d);
      float scale = rstd / d;
      for (int j = 0; j < d; j++) {
        out[o + j] += scale * (d * gh[j] - sumG - xh[j] * sumGx);
      }
    }
    dx.put(0, out, 0, n);
  }

  /**
   * a[from..from+n) summed in eight running sums (element j into sum j mod 8), then those in order: a fixed order,
   * and eight independent chains of adds instead of one (a single running sum was bound by the add's latency).
   */
  private static float sum8(float[] a, int from, int n) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    float s4 = 0;
    float s5 = 0;
    float s6 = 0;
    float s7 = 0;
    int j = 0;
    for (; j + 8 <= n; j += 8) {
      s0 += a[from + j];
      s1 += a[from + j + 1];
      s2 += a[from + j + 2];
      s3 += a[from + j + 3];
      s4 += a[from + j + 4];
      s5 += a[from + j + 5];
      s6 += a[from + j + 6];
      s7 += a[from + j + 7];
    }
    for (; j < n; j++) {
      s0 += a[from + j];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  @Override
  public void close() {
    own.close();
  }
}
