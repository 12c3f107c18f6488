import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import ai.djl.pytorch.jni.JniUtils;
import coopetition.transformer.config.*;
import coopetition.transformer.data.*;
import coopetition.transformer.model.*;
import coopetition.transformer.train.*;
import java.lang.management.*;
import java.util.*;

/**
 * kernels=java's loss two ways in one process (issue 13): libtorch's log-softmax, gather and their backward
 * (until the seventh session) against {@link KernelPass#crossEntropy}'s Java pass. Both run the quick model's
 * forward and backward with the Java attention cores on the same batches, alternating rounds (no Adam, so the
 * parameters stay put); CPU ms of the calling thread, median and lower quartile, and both losses of the last
 * batch. Args: ROUNDS [BATCHES].
 */
public class LossAB {
  public static void main(String[] a) throws Exception {
    int rounds = Integer.parseInt(a[0]);
    String batches = a.length > 1 ? a[1] : "32,128,512";
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (String bs : batches.split(",")) {
      int b = Integer.parseInt(bs);
      TrainConfig p = Presets.byName("quick").config();
      TrainConfig c = p.withSchedule(p.schedule().withTrainSeqs(100_000_000).withBatch(b));
      c = c.withCompute(c.compute().withThreads(1).withWorkers(1).withKernels(Compute.Kernels.JAVA));
      FeatureBank bank = TrainingRun.openBank(c);
      Splits s = TrainingRun.splits(c, bank);
      try (Trainer t = new Trainer(c, bank, s); KernelPass pass = new KernelPass()) {
        Transformer model = t.model();
        NDManager root = NDManager.newBaseManager();
        int n = Math.max(6, 1920 / b);
        List<SequenceBatch> data = new ArrayList<>();
        for (int i = 0; i < n; i++) data.add(t.batch(i));
        double[][] ms = new double[2][rounds];
        float[] loss = new float[2];
        JniUtils.setGradMode(true);
        for (int r = -2; r < rounds; r++) { // two rounds of warm-up
          for (int k = 0; k < 2; k++) {
            int which = (r % 2 == 0) ? k : 1 - k;
            long c0 = mx.getCurrentThreadCpuTime();
            for (SequenceBatch sb : data) {
              try (NDManager sm = root.newSubManager()) {
                NDArray x = sm.create(sb.examples(), new Shape(sb.size(), sb.pairs(), sb.dim()));
                NDArray y = sm.create(sb.labels(), new Shape(sb.size(), sb.pairs()));
                NDArray logits = model.queryLogits(x, y, pass);
                if (which == 0) {
                  NDArray target = y.toType(DataType.INT64, false).get(":, -1:");
                  NDArray l = Scalars.dividedBy(logits.logSoftmax(-1).gather(target, 1).neg().sum(), sb.size());
                  pass.backward(l);
                  loss[0] = l.getFloat();
                } else {
                  int[] tg = new int[sb.size()];
                  for (int i = 0; i < tg.length; i++) tg[i] = sb.labels()[i * sb.pairs() + sb.pairs() - 1];
                  NDArray l = pass.crossEntropy(logits, tg, sb.size());
                  pass.backward();
                  loss[1] = l.getFloat();
                }
              }
            }
            if (r >= 0) ms[which][r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / n;
          }
        }
        for (double[] m : ms) Arrays.sort(m);
        System.out.printf("batch %d: libtorch loss median %.2f q1 %.2f ms, Java loss median %.2f q1 %.2f ms, speed-up %.2fx (q1 %.2fx);"
            + " last loss %.6f / %.6f%n", b, ms[0][rounds / 2], ms[0][rounds / 4], ms[1][rounds / 2], ms[1][rounds / 4],
            ms[0][rounds / 2] / ms[1][rounds / 2], ms[0][rounds / 4] / ms[1][rounds / 4], loss[0], loss[1]);
        root.close();
      }
    }
  }
}
