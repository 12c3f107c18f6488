package coopetition.transformer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The model's trainable arrays by name, in a fixed order (the order of initialisation, checkpoints and
 * optimiser state). Weights use the PyTorch layout [out, in]. The initialisation is the authors'
 * (PAPER-SETUP §3.4): truncated lecun-normal for every Linear, zero biases, 0.02·trunc_normal for the
 * label table, uniform(±1/√slots) for learned positions, LayerNorm scale 1 and shift 0.
 */
public final class Parameters implements AutoCloseable {
  /** Std of a standard normal truncated to ±2; JAX divides by it so the truncated draw has the wanted variance. */
  private static final double TRUNC_STD_2 = 0.87962566103423978;

  private final ModelConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> arrays = new LinkedHashMap<>();

  private Parameters(ModelConfig config, NDManager manager) {
    this.config = config;
    this.manager = manager;
  }

  /** Fresh parameters drawn from {@code initSeed}, owned by a child of {@code parent}, with gradients attached. */
  public static Parameters initialise(ModelConfig c, long initSeed, NDManager parent, DataType dtype) {
    Parameters p = new Parameters(c, parent.newSubManager());
    SplittableRandom rng = new SplittableRandom(initSeed);
    int d = c.dModel();
    p.lecun("example_embed.weight", d, c.inputDim(), rng, dtype);
    p.constant("example_embed.bias", new Shape(d), 0, dtype);
    p.put("label_embed.weight", new Shape(c.numClasses(), d), truncNormal(rng, (long) c.numClasses() * d, 0.02), dtype);
    if (c.positional() == PositionalEncoding.LEARNED) {
      double a = 1 / Math.sqrt(c.maxSeqLen());
      double[] v = new double[c.maxSeqLen() * d];
      for (int i = 0; i < v.length; i++) {
        v[i] = rng.nextDouble(-a, a);
      }
      p.put("pos_embed.weight", new Shape(c.maxSeqLen(), d), v, dtype);
    }
    for (int l = 0; l < c.depth(); l++) {
      String b = "block" + l + ".";
      p.constant(b + "ln1.gamma", new Shape(d), 1, dtype);
      p.constant(b + "ln1.beta", new Shape(d), 0, dtype);
      p.lecun(b + "attn.qkv", 3 * d, d, rng, dtype);
      p.lecun(b + "attn.proj", d, d, rng, dtype);
      if (c.mlpRatio() > 0) {
        int h = c.mlpRatio() * d;
        p.constant(b + "ln2.gamma", new Shape(d), 1, dtype);
        p.constant(b + "ln2.beta", new Shape(d), 0, dtype);
        p.lecun(b + "mlp.fc1.weight", h, d, rng, dtype);
        p.constant(b + "mlp.fc1.bias", new Shape(h), 0, dtype);
        p.lecun(b + "mlp.fc2.weight", d, h, rng, dtype);
        p.constant(b + "mlp.fc2.bias", new Shape(d), 0, dtype);
      }
    }
    p.constant("ln_final.gamma", new Shape(d), 1, dtype);
    p.constant("ln_final.beta", new Shape(d), 0, dtype);
    p.lecun("unembed.weight", c.numClasses(), d, rng, dtype);
    p.constant("unembed.bias", new Shape(c.numClasses()), 0, dtype);
    return p;
  }

  public ModelConfig config() {
    return config;
  }

  public NDArray get(String name) {
    NDArray a = arrays.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no parameter " + name);
    }
    return a;
  }

  public boolean has(String name) {
    return arrays.containsKey(name);
  }

  /** Name → array, in the canonical order. */
  public Map<String, NDArray> arrays() {
    return Collections.unmodifiableMap(arrays);
  }

  /**
   * Overwrites {@code target} in place with {@code values} (same length). Used instead of
   * {@code NDArray.set}, which re-points a libtorch tensor at a Java-owned buffer: seen to give
   * non-reproducible results once gradients and optimiser kernels touch that tensor.
   */
  public static void assign(NDArray target, float[] values) {
    if (values.length != target.size()) {
      throw new IllegalArgumentException("assign: " + values.length + " values for shape " + target.getShape());
    }
    try (NDArray src = target.getManager().create(values, target.getShape())) {
      NDArray typed = src.toType(target.getDataType(), false);
      target.muli(0).addi(typed);
      if (typed != src) {
        typed.close();
      }
    }
  }

  public long count() {
    long n = 0;
    for (NDArray a : arrays.values()) {
      n += a.size();
    }
    return n;
  }

  public NDManager manager() {
    return manager;
  }

  @Override
  public void close() {
    manager.close();
  }

  private void lecun(String name, int out, int in, SplittableRandom rng, DataType dtype) {
    double std = Math.sqrt(1.0 / in) / TRUNC_STD_2;
    put(name, new Shape(out, in), truncNormal(rng, (long) out * in, std), dtype);
  }

  private void constant(String name, Shape shape, double value, DataType dtype) {
    double[] v = new double[Math.toIntExact(shape.size())];
    java.util.Arrays.fill(v, value);
    put(name, shape, v, dtype);
  }

  private void put(String name, Shape shape, double[] values, DataType dtype) {
    // create() wraps a Java-owned direct buffer, and toType() to the same type returns a tensor over
    // that same memory; a parameter must own its storage, hence the copy before the wrapper is closed.
    NDArray raw = manager.create(values, shape);
    NDArray typed = raw.toType(dtype, false);
    NDArray a = typed.duplicate();
    if (typed != raw) {
      typed.close();
    }
    raw.close();
    a.setName(name);
    a.setRequiresGradient(true);
    arrays.put(name, a);
  }

  /** Standard normal truncated to [-2, 2] by rejection, times {@code scale}. */
  static double[] truncNormal(SplittableRandom rng, long n, double scale) {
    double[] v = new double[Math.toIntExact(n)];
    for (int i = 0; i < v.length; i++) {
      double z;
      do {
        z = rng.nextGaussian();
      } while (z < -2 || z > 2);
      v[i] = z * scale;
    }
    return v;
  }
}
