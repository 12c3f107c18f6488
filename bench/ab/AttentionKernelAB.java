import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import coopetition.transformer.model.AttentionKernel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * One layer's attention core, forward + backward, from the QKV projection's output [B, T, 3·H·hd] to the heads'
 * outputs [B, T, H·hd]: libtorch's ops (the model's path: reshape, transpose, split, bmm, softmax, bmm) against
 * AttentionKernel (copies in and out of Java included). CPU ms, lower quartile of interleaved rounds, 1 libtorch
 * thread; the largest difference of outputs and gradients is printed too. Args: [ROUNDS] [BATCHES].
 */
public class AttentionKernelAB {
  public static void main(String[] a) {
    coopetition.transformer.runtime.Torch.configure(1);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int rounds = a.length > 0 ? Integer.parseInt(a[0]) : 7;
    String batches = a.length > 1 ? a[1] : "32,128,512";
    int h = 8, t = 5, hd = 8;
    try (NDManager base = NDManager.newBaseManager("PyTorch")) {
      for (String bs : batches.split(",")) {
        int b = Integer.parseInt(bs);
        NDArray qkv = base.randomNormal(new Shape(b, t, 3L * h * hd));
        NDArray dz = base.randomNormal(new Shape(b, t, (long) h * hd));
        qkv.setRequiresGradient(true);
        AttentionKernel kernel = new AttentionKernel(b, t, h, hd);
        float[] zj = new float[b * t * h * hd];
        float[] gj = new float[b * t * 3 * h * hd];
        float[] causal = new float[t * t];
        for (int i = 0; i < t; i++) for (int j = i + 1; j < t; j++) causal[i * t + j] = -1e20f;
        NDArray mask = base.create(causal, new Shape(t, t));
        // agreement
        float[] zt;
        float[] gt;
        try (NDManager m = base.newSubManager(); GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
          NDArray z = torchCore(qkv, mask, b, t, h, hd);
          z.attach(m);
          zt = z.toFloatArray();
          NDArray l = z.mul(dz).sum();
          l.attach(m);
          gc.backward(l);
          gt = qkv.getGradient().toFloatArray();
        }
        kernel.forward(qkv.toFloatArray(), zj);
        kernel.backward(dz.toFloatArray(), gj);
        System.out.printf("batch %d: max |z diff| %.2e, max |dqkv diff| %.2e (of max |dqkv| %.2e)%n", b, maxDiff(zt, zj),
            maxDiff(gt, gj), maxAbs(gt));
        int n = 40_000 / b + 20;
        double[][] ms = new double[2][rounds];
        for (int round = 0; round < rounds; round++) {
          for (int mode = 0; mode < 2; mode++) {
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
              try (NDManager m = base.newSubManager()) {
                if (mode == 0) {
                  try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray z = torchCore(qkv, mask, b, t, h, hd);
                    NDArray l = z.mul(dz).sum();
                    z.attach(m);
                    l.attach(m);
                    gc.backward(l);
                  }
                } else {
                  kernel.forward(qkv.toFloatArray(), zj);
                  NDArray z = m.create(zj, new Shape(b, t, (long) h * hd));
                  kernel.backward(dz.toFloatArray(), gj);
                  NDArray g = m.create(gj, new Shape(b, t, 3L * h * hd));
                }
              }
            }
            ms[mode][round] = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / n;
          }
        }
        double lt = q1(ms[0]);
        double lj = q1(ms[1]);
        System.out.printf("batch %d: libtorch %.3f ms, Java kernel %.3f ms (one layer, forward + backward; lower quartile of %d rounds), %.2fx%n",
            b, lt, lj, rounds, lt / lj);
      }
    }
  }

  static NDArray torchCore(NDArray qkvIn, NDArray mask, int b, int t, int h, int hd) {
    NDArray qkv = qkvIn.reshape(b, t, 3, h, hd).transpose(2, 0, 3, 1, 4);
    NDList parts = qkv.split(3, 0);
    NDArray q = parts.get(0).squeeze(0);
    NDArray k = parts.get(1).squeeze(0);
    NDArray v = parts.get(2).squeeze(0);
    NDArray s = q.matMul(k.transpose(0, 1, 3, 2)).mul(1 / Math.sqrt(hd)).add(mask);
    return s.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, (long) h * hd);
  }

  static double q1(double[] x) {
    double[] s = x.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 4];
  }

  static double maxDiff(float[] x, float[] y) {
    double d = 0;
    for (int i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
    return d;
  }

  static double maxAbs(float[] x) {
    double d = 0;
    for (float f : x) d = Math.max(d, Math.abs(f));
    return d;
  }
}
