import coopetition.transformer.model.AttentionKernel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** accept(n): n forward + backward calls of the Java attention core at the quick shapes, batch -Donejvm.batch. */
public class AttentionRunner implements java.util.function.IntConsumer {
  private final AttentionKernel kernel;
  private final ByteBuffer qkv;
  private final ByteBuffer z;
  private final ByteBuffer dz;
  private final ByteBuffer dqkv;

  public AttentionRunner() {
    int b = Integer.getInteger("onejvm.batch", 128);
    int h = 8;
    int t = 5;
    int hd = 8;
    kernel = new AttentionKernel(b, t, h, hd);
    qkv = floats(b * t * 3 * h * hd);
    z = floats(b * t * h * hd);
    dz = floats(b * t * h * hd);
    dqkv = floats(b * t * 3 * h * hd);
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < qkv.capacity() / 4; i++) {
      qkv.putFloat(4 * i, (float) r.nextGaussian());
    }
    for (int i = 0; i < dz.capacity() / 4; i++) {
      dz.putFloat(4 * i, (float) r.nextGaussian());
    }
  }

  private static ByteBuffer floats(int n) {
    return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder());
  }

  @Override
  public void accept(int n) {
    for (int i = 0; i < n; i++) {
      kernel.forward(qkv, z);
      kernel.backward(qkv, dz, dqkv);
    }
  }

  /** A checksum of the outputs: the two builds should agree where the change keeps the bits. */
  @Override
  public String toString() {
    double s = 0;
    for (int i = 0; i < z.capacity() / 4; i++) {
      s += z.getFloat(4 * i);
    }
    for (int i = 0; i < dqkv.capacity() / 4; i++) {
      s += dqkv.getFloat(4 * i);
    }
    return Double.toString(s);
  }
}
