import coopetition.transformer.model.AttentionKernel;
/** CPU ms of AttentionKernel alone, forward and backward, at batch 32/128/512 (quick shapes: 5 tokens, 8 heads of 8); best of 8 rounds. */
public class AttentionKernelAlone {
  public static void main(String[] a) {
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    for (int b : new int[]{32,128,512}) {
      int h=8,t=5,hd=8;
      AttentionKernel k = new AttentionKernel(b,t,h,hd);
      float[] qkv = new float[b*t*3*h*hd]; float[] z = new float[b*t*h*hd]; float[] dz = new float[z.length]; float[] g = new float[qkv.length];
      var r = new java.util.Random(1); for (int i=0;i<qkv.length;i++) qkv[i]=(float)r.nextGaussian(); for (int i=0;i<dz.length;i++) dz[i]=(float)r.nextGaussian();
      double bf=1e9, bb=1e9;
      for (int round=0; round<8; round++) {
        int n = 40000/b+20;
        long c0=mx.getCurrentThreadCpuTime();
        for (int i=0;i<n;i++) k.forward(qkv,z);
        long c1=mx.getCurrentThreadCpuTime();
        for (int i=0;i<n;i++) k.backward(dz,g);
        long c2=mx.getCurrentThreadCpuTime();
        bf=Math.min(bf,(c1-c0)/1e6/n); bb=Math.min(bb,(c2-c1)/1e6/n);
      }
      System.out.printf("b %d fwd %.3f bwd %.3f ms%n", b, bf, bb);
    }
  }
}
