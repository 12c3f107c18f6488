package coopetition.transformer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import coopetition.transformer.runtime.Torch;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a step reads through its leaves, and the gradients handed to them in Java. */
class StepLeavesTest {
  /** 2 heads of width 8: the reorder is no transpose of a square, so a wrong direction shows. */
  private static final ModelConfig C = new ModelConfig(6, 11, 16, 2, 2, 16, PositionalEncoding.LEARNED, 30, 0);

  @Test
  void attentionWeightsAreReadChannelMajorAndEveryOtherParameterAsStored() {
    try (NDManager m = Torch.newManager(ai.djl.Device.cpu());
        Parameters params = Parameters.initialise(C, 3, m, DataType.FLOAT32);
        StepLeaves leaves = new StepLeaves(m);
        NDManager step = m.newSubManager()) {
      leaves.begin(params, step);
      for (Map.Entry<String, NDArray> e : params.arrays().entrySet()) {
        String name = e.getKey();
        NDArray stored = e.getValue();
        NDArray read = leaves.read(name);
        assertNotSame(stored, read, name);
        assertTrue(leaves.isLeaf(read), name);
        NDArray want = stored;
        if (name.endsWith(".attn.qkv")) { // rows (part, head, channel) -> (part, channel, head)
          want = stored.reshape(3, C.numHeads(), C.headDim(), C.dModel()).transpose(0, 2, 1, 3).reshape(stored.getShape());
        } else if (name.endsWith(".attn.proj")) { // columns (head, channel) -> (channel, head)
          want = stored.reshape(C.dModel(), C.numHeads(), C.headDim()).transpose(0, 2, 1).reshape(stored.getShape());
        }
        assertArrayEquals(want.toFloatArray(), read.toFloatArray(), name);
      }
      assertFalse(leaves.isLeaf(params.get("unembed.bias")), "a stored parameter is not this step's leaf");
    }
  }

  @Test
  void gradientsHandedOverInJavaAddUpAndComeBackInTheStoredShape() {
    try (NDManager m = Torch.newManager(ai.djl.Device.cpu());
        Parameters params = Parameters.initialise(C, 3, m, DataType.FLOAT32);
        StepLeaves leaves = new StepLeaves(m);
        NDManager step = m.newSubManager()) {
      leaves.begin(params, step);
      NDArray bias = leaves.read("unembed.bias");
      int k = (int) bias.size();
      float[] g1 = new float[k];
      float[] g2 = new float[k];
      for (int i = 0; i < k; i++) {
        g1[i] = 0.1f * i;
        g2[i] = 1f / (i + 3);
      }
      leaves.addGradient(bias, g1); // two workers' halves
      leaves.addGradient(bias, g2);
      assertThrows(IllegalArgumentException.class, () -> leaves.addGradient(params.get("unembed.bias"), g1));
      // every other parameter takes its gradient from autograd: ½ Σ w², whose gradient is the values w as read
      boolean mode = ai.djl.pytorch.jni.JniUtils.isGradMode();
      ai.djl.pytorch.jni.JniUtils.setGradMode(true);
      try {
        for (Map.Entry<String, NDArray> e : params.arrays().entrySet()) {
          if (!e.getKey().equals("unembed.bias")) {
            NDArray leaf = leaves.read(e.getKey());
            ai.djl.pytorch.jni.JniUtils.backward((ai.djl.pytorch.engine.PtNDArray) leaf.mul(leaf).sum(),
                (ai.djl.pytorch.engine.PtNDArray) step.create(0.5f), false, false);
          }
        }
      } finally {
        ai.djl.pytorch.jni.JniUtils.setGradMode(mode);
      }
      Map<String, NDArray> g = leaves.gradients();
      float[] sum = new float[k];
      for (int i = 0; i < k; i++) {
        sum[i] = g1[i] + g2[i];
      }
      assertArrayEquals(sum, g.get("unembed.bias").toFloatArray());
      for (Map.Entry<String, NDArray> e : params.arrays().entrySet()) {
        if (!e.getKey().equals("unembed.bias")) { // back in the stored layout: each gradient equals the stored values
          assertArrayEquals(e.getValue().toFloatArray(), g.get(e.getKey()).toFloatArray(), e.getKey());
          assertArrayEquals(e.getValue().getShape().getShape(), g.get(e.getKey()).getShape().getShape(), e.getKey());
        }
      }
    }
  }
}
