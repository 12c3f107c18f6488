package coopetition.transformer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.jni.JniUtils;
import coopetition.transformer.config.*;
import coopetition.transformer.data.*;
import coopetition.transformer.train.*;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.*;

/**
 * An estimate, not a model (issue 13, eleventh session): what a quick-preset step could cost with a hand-written
 * backward instead of libtorch's autograd. The forward's ops run in no-grad mode, the backward's GEMMs as plain
 * matmuls, the Java loss, attention core and Adam as in training; LayerNorm's backward is stood in by a multiply
 * and the embeddings' gradients by zeros, so the gradients are not the model's and only the time means anything.
 * It alternates with the real {@code kernels=java} step in one JVM: CPU ms a step, medians of 30 rounds of 20.
 * In the model's package (it calls the package's kernels), so compile it to a directory first:
 * {@code javac --add-modules jdk.incubator.vector -cp CP -d /tmp/na bench/ab/NoAutograd.java}, then
 * {@code java --add-modules jdk.incubator.vector -cp /tmp/na:CP coopetition.transformer.model.NoAutograd 128},
 * CP being {@code transformer/target/classes:$(cat app/target/classpath.txt)}.
 */
public class NoAutograd {
  public static void main(String[] a) throws Exception {
    int b = Integer.parseInt(a[0]);
    TrainConfig p = Presets.byName("quick").config();
    TrainConfig c = p.withSchedule(p.schedule().withTrainSeqs(100_000_000).withBatch(b));
    c = c.withCompute(c.compute().withThreads(1).withWorkers(1).withKernels(Compute.Kernels.JAVA));
    FeatureBank bank = TrainingRun.openBank(c);
    Splits s = TrainingRun.splits(c, bank);
    var mx = ManagementFactory.getThreadMXBean();
    try (Trainer t = new Trainer(c, bank, s); NDManager root = NDManager.newBaseManager();
        Parameters params = Parameters.initialise(t.modelConfig(), 1, root, DataType.FLOAT32)) {
      ModelConfig mc = params.config();
      Adam adam = new Adam(c.adam(), params, Adam.Kernel.JAVA_FUSED);
      int d = mc.dModel(), pairs = 3, tk = 2 * pairs - 1, k = mc.numClasses();
      AttentionKernel[] cores = {new AttentionKernel(b, tk, mc.numHeads(), mc.headDim()), new AttentionKernel(b, tk, mc.numHeads(), mc.headDim())};
      NDArray lg = root.zeros(new Shape(b, k));
      float[] biasGrad = new float[k];
      int rounds = 30, n = 20;
      double[][] ms = new double[2][rounds];
      for (int r = -3; r < rounds; r++) {
        for (int j = 0; j < 2; j++) {
          int v = (r & 1) == 0 ? j : 1 - j;
          long c0 = mx.getCurrentThreadCpuTime();
          for (int i = 0; i < n; i++) {
            if (v == 0) {
              t.trainStep();
              continue;
            }
            SequenceBatch sb = t.batch(i);
            try (NDManager sm = root.newSubManager()) {
              JniUtils.setGradMode(false);
              NDArray x = HostArrays.floats(sm, sb.examples(), new Shape(b, pairs, sb.dim()));
              NDArray y = HostArrays.longs(sm, sb.labels(), new Shape(b, pairs));
              int[] targets = new int[b];
              for (int q = 0; q < b; q++) targets[q] = sb.labels()[q * pairs + pairs - 1];
              NDArray ex = Linear.linear(x, params.get("example_embed.weight"), params.get("example_embed.bias")).head();
              NDArray lab = Embedding.embedding(y, params.get("label_embed.weight"), SparseFormat.DENSE).head();
              NDArray h = ex.stack(lab, 2).reshape(b, 2 * pairs, d).get(new NDIndex(":, :{}", tk));
              NDArray pos = params.get("pos_embed.weight").get(new NDIndex(":{}", tk));
              pos.attach(sm);
              h = h.add(pos);
              NDArray[] xs = new NDArray[2], qkvs = new NDArray[2], zs = new NDArray[2];
              for (int l = 0; l < 2; l++) {
                String pf = "block" + l + ".";
                xs[l] = LayerNorm.layerNorm(h, new Shape(d), params.get(pf + "ln1.gamma"), params.get(pf + "ln1.beta"), 1e-5f).head();
                qkvs[l] = Linear.linear(xs[l], params.get(pf + "attn.qkv")).head();
                zs[l] = sm.create(new Shape(b, tk, d), DataType.FLOAT32);
                cores[l].forward(HostArrays.bytes(qkvs[l]), HostArrays.bytes(zs[l]));
                h = h.add(Linear.linear(zs[l], params.get(pf + "attn.proj")).head());
              }
              NDArray read = h.get(new NDIndex(":, {}", tk - 1));
              NDArray rln = LayerNorm.layerNorm(read, new Shape(d), params.get("ln_final.gamma"), params.get("ln_final.beta"), 1e-5f).head();
              NDArray logits = Linear.linear(rln, params.get("unembed.weight")).head();
              Arrays.fill(biasGrad, 0f);
              CrossEntropyKernel.lossAndGradient(HostArrays.bytes(logits), HostArrays.bytes(params.get("unembed.bias")),
                  HostArrays.bytes(lg), biasGrad, b, k, targets, 1f / b);
              Map<String, NDArray> g = new LinkedHashMap<>();
              g.put("unembed.weight", lg.transpose().matMul(rln));
              g.put("unembed.bias", HostArrays.floats(sm, biasGrad, new Shape(k)));
              NDArray dr = lg.matMul(params.get("unembed.weight")).mul(params.get("ln_final.gamma"));
              g.put("ln_final.gamma", dr.sum(new int[] {0}));
              g.put("ln_final.beta", dr.sum(new int[] {0}));
              NDArray dh = sm.zeros(new Shape(b, tk, d));
              dh.set(new NDIndex(":, {}", tk - 1), dr);
              for (int l = 1; l >= 0; l--) {
                String pf = "block" + l + ".";
                NDArray flat = dh.reshape(-1, d);
                g.put(pf + "attn.proj", flat.transpose().matMul(zs[l].reshape(-1, d)));
                NDArray dz = dh.matMul(params.get(pf + "attn.proj"));
                NDArray dqkv = sm.create(qkvs[l].getShape(), DataType.FLOAT32);
                cores[l].backward(HostArrays.bytes(qkvs[l]), HostArrays.bytes(dz), HostArrays.bytes(dqkv));
                NDArray dq = dqkv.reshape(-1, 3 * d);
                g.put(pf + "attn.qkv", dq.transpose().matMul(xs[l].reshape(-1, d)));
                NDArray dx = dqkv.matMul(params.get(pf + "attn.qkv")).mul(params.get(pf + "ln1.gamma"));
                g.put(pf + "ln1.gamma", dx.sum(new int[] {0, 1}));
                g.put(pf + "ln1.beta", dx.sum(new int[] {0, 1}));
                dh = dh.add(dx);
              }
              g.put("pos_embed.weight", sm.zeros(params.get("pos_embed.weight").getShape()));
              NDArray dex = dh.get(new NDIndex(":, ::2"));
              g.put("example_embed.weight", dex.reshape(-1, d).transpose().matMul(x.reshape(-1, sb.dim())));
              g.put("example_embed.bias", dex.sum(new int[] {0, 1}));
              g.put("label_embed.weight", sm.zeros(params.get("label_embed.weight").getShape()));
              for (String name : params.arrays().keySet()) {
                if (!g.containsKey(name)) throw new IllegalStateException(name);
              }
              adam.step(params, null, g);
            }
          }
          if (r >= 0) ms[v][r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / n;
        }
      }
      for (double[] m : ms) Arrays.sort(m);
      System.out.printf("batch %d: autograd step (kernels=java) %.3f ms, no-autograd estimate %.3f ms (medians of %d rounds), ratio %.3f%n",
          b, ms[0][rounds / 2], ms[1][rounds / 2], rounds, ms[1][rounds / 2] / ms[0][rounds / 2]);
    }
  }
}
