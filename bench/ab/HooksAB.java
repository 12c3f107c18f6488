import ai.djl.Device;
import ai.djl.engine.Engine;
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
import ai.djl.training.GradientCollector;
import coopetition.transformer.config.Presets;
import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.data.Rng;
import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.data.SequenceSampler;
import coopetition.transformer.data.Splits;
import coopetition.transformer.model.Hooks;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.model.Parameters;
import coopetition.transformer.model.Scalars;
import coopetition.transformer.model.Transformer;
import coopetition.transformer.runtime.Torch;
import coopetition.transformer.train.Adam;
import coopetition.transformer.train.TrainingRun;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The hook points' cost in one process (issue 11): quick-preset training steps whose forward pass is either
 * today's {@link Transformer#forward} with {@link Hooks#NONE} ("hooks") or the forward pass as it was before the
 * hook points, copied below for the quick model ("plain": learned positions, no MLP). Two identical models
 * (same init, same batches) train side by side, alternating rounds of steps, so both see the same machine and
 * the same memory state; each round's losses must agree bit for bit (the same ops), else it stops.
 * Prints per batch size the lower quartile and median CPU ms per step and the speed ratio plain / hooks.
 * Usage: java -cp CP bench/ab/HooksAB.java [ROUNDS] [BATCHES]   e.g. 15 32,128,512
 */
public class HooksAB {
  public static void main(String[] a) {
    int rounds = a.length > 0 ? Integer.parseInt(a[0]) : 15;
    int[] batches = Arrays.stream((a.length > 1 ? a[1] : "32,128,512").split(",")).mapToInt(Integer::parseInt).toArray();
    Torch.configure(1);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    System.out.printf(Locale.ROOT, "%6s %14s %14s %14s %14s %12s %12s%n", "batch", "plain q1 ms", "hooks q1 ms",
        "plain median", "hooks median", "ratio (q1)", "ratio (med)");
    for (int batch : batches) {
      TrainConfig p = Presets.byName("quick").config();
      TrainConfig c = p.withSchedule(p.schedule().withTrainSeqs(100_000_000).withBatch(batch));
      c = c.withCompute(c.compute().withThreads(1).withWorkers(1));
      FeatureBank bank = TrainingRun.openBank(c);
      Splits splits = TrainingRun.splits(c, bank);
      SequenceSampler sampler = SequenceSampler.forTraining(bank, splits, c.sampler(splits.numTrainClasses()));
      ModelConfig mc = c.model(bank.dim(), splits.numTrainClasses());
      try (NDManager root = Torch.newManager(Device.cpu())) {
        // -Dswap=true allocates the hooks model's arrays first: where the arrays land can move a step's time by
        // several percent at large batches, independently of the code that runs (see docs/mechanisms.md).
        Parameters first = Parameters.initialise(mc, c.seeds().init(), root, DataType.FLOAT32);
        Parameters second = Parameters.initialise(mc, c.seeds().init(), root, DataType.FLOAT32);
        boolean swap = Boolean.getBoolean("swap");
        Parameters pPlain = swap ? second : first;
        Parameters pHooks = swap ? first : second;
        Adam aPlain = new Adam(c.adam(), pPlain);
        Adam aHooks = new Adam(c.adam(), pHooks);
        Transformer model = new Transformer(pHooks);
        BiFunction<NDArray, NDArray, NDArray> plain = (x, y) -> plainQueryLogits(pPlain, x, y);
        BiFunction<NDArray, NDArray, NDArray> hooked =
            (x, y) -> model.forward(x, y, Transformer.Readout.QUERY, false, Hooks.NONE).logits();
        int n = Math.max(10, 3840 / batch);
        long k = 0;
        k = run(root, sampler, c, plain, aPlain, pPlain, k, 20, null); // warm-up, both the same batches
        run(root, sampler, c, hooked, aHooks, pHooks, 0, 20, null);
        double[] tp = new double[rounds];
        double[] th = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          float[] lossP = new float[n];
          float[] lossH = new float[n];
          boolean plainFirst = r % 2 == 0; // alternate which goes first within a round
          for (int turn = 0; turn < 2; turn++) {
            boolean isPlain = (turn == 0) == plainFirst;
            long c0 = mx.getCurrentThreadCpuTime();
            if (isPlain) {
              run(root, sampler, c, plain, aPlain, pPlain, k, n, lossP);
            } else {
              run(root, sampler, c, hooked, aHooks, pHooks, k, n, lossH);
            }
            double ms = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / n;
            if (isPlain) {
              tp[r] = ms;
            } else {
              th[r] = ms;
            }
          }
          if (!Arrays.equals(lossP, lossH)) {
            throw new IllegalStateException("batch " + batch + " round " + r + ": the two passes' losses differ");
          }
          k += n;
        }
        Arrays.sort(tp);
        Arrays.sort(th);
        double q1p = tp[rounds / 4];
        double q1h = th[rounds / 4];
        double mp = tp[rounds / 2];
        double mh = th[rounds / 2];
        System.out.printf(Locale.ROOT, "%6d %14.3f %14.3f %14.3f %14.3f %12.3f %12.3f%n", batch, q1p, q1h, mp, mh,
            q1p / q1h, mp / mh);
      }
    }
    System.out.println("ratio = plain time / hooks time (>= 1: the hook points cost nothing); CPU time of the stepping"
        + " thread, " + rounds + " alternating rounds; every round's losses bit-identical between the two");
  }

  /** Steps k0 .. k0+n-1 of training with the given forward; losses (read back) into {@code losses} if given. */
  private static long run(NDManager root, SequenceSampler sampler, TrainConfig c,
      BiFunction<NDArray, NDArray, NDArray> forward, Adam adam, Parameters params, long k0, int n, float[] losses) {
    for (int i = 0; i < n; i++) {
      SequenceBatch b = sampler.sample(Rng.mix(c.seeds().train(), k0 + i), c.schedule().batch());
      try (NDManager sm = root.newSubManager();
          GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray x = sm.create(b.examples(), new Shape(b.size(), b.pairs(), b.dim()));
        NDArray y = sm.create(b.labels(), new Shape(b.size(), b.pairs())).toType(DataType.INT64, false);
        NDArray loss = forward.apply(x, y).logSoftmax(-1).gather(y.get(":, -1:"), 1).neg().mean();
        gc.backward(loss);
        adam.step(params);
        if (losses != null) {
          losses[i] = loss.getFloat();
        }
      }
    }
    return k0 + n;
  }

  // ---- The forward pass before the hook points (commit 5ab287d^), for the quick model. ----

  private static NDArray plainQueryLogits(Parameters params, NDArray examples, NDArray labels) {
    ModelConfig config = params.config();
    Shape s = examples.getShape();
    long b = s.get(0);
    long pairs = s.get(1);
    int t = ModelConfig.tokens((int) pairs);
    int d = config.dModel();
    NDManager m = examples.getManager();
    NDArray ex = Linear.linear(examples, params.get("example_embed.weight"), params.get("example_embed.bias")).head();
    NDArray lab = Embedding.embedding(labels.toType(DataType.INT64, false), params.get("label_embed.weight"),
        SparseFormat.DENSE).head();
    NDArray tok = ex.stack(lab, 2).reshape(b, 2 * pairs, d).get(new NDIndex(":, :{}", t));
    NDArray pos = params.get("pos_embed.weight").get(new NDIndex(":{}", t));
    pos.attach(m);
    tok = tok.add(pos);
    float[] mask = new float[t * t];
    for (int i = 0; i < t; i++) {
      for (int j = i + 1; j < t; j++) {
        mask[i * t + j] = -1e20f;
      }
    }
    NDArray causal = m.create(mask, new Shape(t, t)).toType(tok.getDataType(), false);
    NDArray h = tok;
    for (int l = 0; l < config.depth(); l++) {
      String p = "block" + l + ".";
      NDArray x = layerNorm(params, h, p + "ln1");
      h = h.add(attention(params, x, p, causal));
    }
    NDArray read = layerNorm(params, h.get(new NDIndex(":, {}", t - 1)), "ln_final");
    return Linear.linear(read, params.get("unembed.weight"), params.get("unembed.bias")).head();
  }

  private static NDArray layerNorm(Parameters params, NDArray x, String name) {
    return LayerNorm.layerNorm(x, new Shape(params.config().dModel()), params.get(name + ".gamma"),
        params.get(name + ".beta"), 1e-5f).head();
  }

  private static NDArray attention(Parameters params, NDArray x, String p, NDArray causal) {
    ModelConfig config = params.config();
    Shape s = x.getShape();
    long b = s.get(0);
    long t = s.get(1);
    int h = config.numHeads();
    int hd = config.headDim();
    NDArray qkv = Linear.linear(x, params.get(p + "attn.qkv")).head().reshape(b, t, 3, h, hd).transpose(2, 0, 3, 1, 4);
    NDList parts = qkv.split(3, 0);
    NDArray q = parts.get(0).squeeze(0);
    NDArray k = parts.get(1).squeeze(0);
    NDArray v = parts.get(2).squeeze(0);
    NDArray scores = Scalars.times(q.matMul(k.transpose(0, 1, 3, 2)), 1 / Math.sqrt(hd)).add(causal);
    NDArray out = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, (long) h * hd);
    return Linear.linear(out, params.get(p + "attn.proj")).head();
  }
}
