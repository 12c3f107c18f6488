import coopetition.transformer.model.AttentionKernel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
/**
 * CPU ms of AttentionKernel alone, forward and backward, at batch 32/128/512 (quick shapes: 5 tokens, 8 heads of 8);
 * best of 8 rounds. Run with {@code --add-modules jdk.incubator.vector} for the SIMD passes, without for the scalar ones.
 */
public class AttentionKernelAlone {
  public static void main(String[] a) {
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    for (int b : new int[]{32,128,512}) {
      int h=8,t=5,hd=8;
      AttentionKernel k = new AttentionKernel(b,t,h,hd);
      ByteBuffer qkv = floats(b*t*3*h*hd), z = floats(b*t*h*hd), dz = floats(b*t*h*hd), g = floats(b*t*3*h*hd);
      var r = new java.util.Random(1);
      for (int i=0;i<qkv.capacity()/4;i++) qkv.putFloat(4*i,(float)r.nextGaussian());
      for (int i=0;i<dz.capacity()/4;i++) dz.putFloat(4*i,(float)r.nextGaussian());
      double bf=1e9, bb=1e9;
      for (int round=0; round<8; round++) {
        int n = 40000/b+20;
        long c0=mx.getCurrentThreadCpuTime();
        for (int i=0;i<n;i++) k.forward(qkv,z);
        long c1=mx.getCurrentThreadCpuTime();
        for (int i=0;i<n;i++) k.backward(qkv,dz,g);
        long c2=mx.getCurrentThreadCpuTime();
        bf=Math.min(bf,(c1-c0)/1e6/n); bb=Math.min(bb,(c2-c1)/1e6/n);
      }
      var tm = (com.sun.management.ThreadMXBean) mx; long a0 = tm.getCurrentThreadAllocatedBytes(); k.forward(qkv,z); long a1 = tm.getCurrentThreadAllocatedBytes(); k.backward(qkv,dz,g); long a2 = tm.getCurrentThreadAllocatedBytes();
      System.out.printf("b %d fwd %.3f bwd %.3f ms (allocated %d / %d bytes)%n", b, bf, bb, a1-a0, a2-a1);
    }
  }
  static ByteBuffer floats(int n) { return ByteBuffer.allocateDirect(4*n).order(ByteOrder.nativeOrder()); }
}
