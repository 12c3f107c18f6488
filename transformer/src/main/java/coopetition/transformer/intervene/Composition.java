package coopetition.transformer.intervene;

import ai.djl.ndarray.types.DataType;
import coopetition.transformer.model.HeadRef;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.model.Parameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Composition scores of Elhage et al. (2021) between a sender head of an earlier layer and a receiver head of
 * a later one: how much of the sender's OV circuit {@code W_OV = W_O W_V} the receiver reads, through its
 * queries (Q), keys (K) or values (V), as {@code ||W_A W_B||_F / (||W_A||_F ||W_B||_F)} with
 * {@code W_B = W_OV(sender)} and {@code W_A} = {@code W_QK^T}, {@code W_QK} ({@code = W_Q^T W_K}) or
 * {@code W_OV} of the receiver. The receiver's LayerNorm gain is folded into its W_Q, W_K, W_V (its centring
 * and scaling are ignored, as in the original). Scores of unrelated matrices are far from 0 in small models
 * (about {@code 1/sqrt(d)}, 0.125 at d = 64), so {@link #randomBaseline} gives the score of random circuits of the same
 * shapes and ranks, which a score must exceed to mean anything.
 */
public final class Composition {
  private Composition() {}

  /** Which side of the receiver reads the sender's output. */
  public enum Kind {
    Q, K, V
  }

  /**
   * One score.
   *
   * @param kind Q-, K- or V-composition
   * @param sender the earlier head (layer:head from 0)
   * @param receiver the later head
   * @param score in [0, 1]
   */
  public record Score(Kind kind, HeadRef sender, HeadRef receiver, double score) {}

  /** {@code ||A B||_F / (||A||_F ||B||_F)}; 0 when either matrix is zero. */
  public static double score(double[][] a, double[][] b) {
    double na = frobenius(a);
    double nb = frobenius(b);
    return na == 0 || nb == 0 ? 0 : frobenius(multiply(a, b)) / (na * nb);
  }

  /** Every Q-, K- and V-composition score from each head of {@code fromLayer} to each head of {@code toLayer}. */
  public static List<Score> scores(Parameters params, int fromLayer, int toLayer) {
    ModelConfig c = params.config();
    if (fromLayer < 0 || toLayer <= fromLayer || toLayer >= c.depth()) {
      throw new IllegalArgumentException("composition from layer " + fromLayer + " to " + toLayer + " in a " + c.depth()
          + "-layer model");
    }
    HeadWeights from = HeadWeights.of(params, fromLayer);
    HeadWeights to = HeadWeights.of(params, toLayer);
    List<Score> out = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      for (int r = 0; r < c.numHeads(); r++) {
        double[][] reader = switch (kind) {
          case Q -> transpose(to.qk(r));
          case K -> to.qk(r);
          case V -> to.ov(r);
        };
        for (int s = 0; s < c.numHeads(); s++) {
          out.add(new Score(kind, new HeadRef(fromLayer, s), new HeadRef(toLayer, r), score(reader, from.ov(s))));
        }
      }
    }
    return out;
  }

  /**
   * The mean score, over {@code draws} draws, of a receiver circuit and a sender W_OV built from independent
   * Gaussian factors of this model's shapes (W_QK = W_Q^T W_K and W_OV = W_O W_V, each of rank head dim):
   * what the score is when nothing composes. Deterministic for a seed.
   */
  public static double randomBaseline(ModelConfig c, Kind kind, int draws, long seed) {
    if (draws < 1) {
      throw new IllegalArgumentException("draws " + draws + " < 1");
    }
    Random rnd = new Random(seed);
    int d = c.dModel();
    int hd = c.headDim();
    double sum = 0;
    for (int i = 0; i < draws; i++) {
      double[][] sender = multiply(gaussian(rnd, d, hd), gaussian(rnd, hd, d));
      double[][] reader = switch (kind) {
        case Q, K -> multiply(transpose(gaussian(rnd, hd, d)), gaussian(rnd, hd, d));
        case V -> multiply(gaussian(rnd, d, hd), gaussian(rnd, hd, d));
      };
      sum += score(reader, sender);
    }
    return sum / draws;
  }

  private static double[][] gaussian(Random rnd, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (double[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = rnd.nextGaussian();
      }
    }
    return m;
  }

  /** One layer's attention weights as d x d circuits per head, the LayerNorm gain folded into Q, K, V. */
  private record HeadWeights(int heads, int hd, int d, float[] qkv, float[] proj, float[] gamma) {
    static HeadWeights of(Parameters p, int layer) {
      ModelConfig c = p.config();
      String b = "block" + layer + ".";
      return new HeadWeights(c.numHeads(), c.headDim(), c.dModel(), floats(p, b + "attn.qkv"), floats(p, b + "attn.proj"),
          floats(p, b + "ln1.gamma"));
    }

    /** Rows {@code block*d + head*hd ..} of qkv ([3d, d], out x in), times the gain per input column: [hd, d]. */
    double[][] read(int block, int head) {
      double[][] w = new double[hd][d];
      for (int i = 0; i < hd; i++) {
        int row = block * d + head * hd + i;
        for (int j = 0; j < d; j++) {
          w[i][j] = qkv[row * d + j] * gamma[j];
        }
      }
      return w;
    }

    /** W_QK = W_Q^T W_K: score = x_q^T W_QK x_k. */
    double[][] qk(int head) {
      return multiply(transpose(read(0, head)), read(1, head));
    }

    /** W_OV = W_O W_V, W_O being columns head*hd .. of proj ([d, d], out x in). */
    double[][] ov(int head) {
      double[][] o = new double[d][hd];
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < hd; j++) {
          o[i][j] = proj[i * d + head * hd + j];
        }
      }
      return multiply(o, read(2, head));
    }
  }

  private static float[] floats(Parameters p, String name) {
    return p.get(name).toType(DataType.FLOAT32, false).toFloatArray();
  }

  static double[][] multiply(double[][] a, double[][] b) {
    int n = a.length;
    int m = b[0].length;
    int k = b.length;
    if (a[0].length != k) {
      throw new IllegalArgumentException(a.length + "x" + a[0].length + " times " + k + "x" + m);
    }
    double[][] out = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int l = 0; l < k; l++) {
        double v = a[i][l];
        for (int j = 0; j < m; j++) {
          out[i][j] += v * b[l][j];
        }
      }
    }
    return out;
  }

  static double[][] transpose(double[][] a) {
    double[][] t = new double[a[0].length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        t[j][i] = a[i][j];
      }
    }
    return t;
  }

  static double frobenius(double[][] a) {
    double s = 0;
    for (double[] row : a) {
      for (double v : row) {
        s += v * v;
      }
    }
    return Math.sqrt(s);
  }
}
