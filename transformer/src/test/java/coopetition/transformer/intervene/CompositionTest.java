package coopetition.transformer.intervene;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import coopetition.transformer.intervene.Composition.Kind;
import coopetition.transformer.intervene.Composition.Score;
import coopetition.transformer.model.HeadRef;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.model.Parameters;
import coopetition.transformer.model.PositionalEncoding;
import coopetition.transformer.runtime.Torch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Composition scores on matrices and weights built to have known values. */
class CompositionTest {
  static double[][] diag(double... v) {
    double[][] m = new double[v.length][v.length];
    for (int i = 0; i < v.length; i++) {
      m[i][i] = v[i];
    }
    return m;
  }

  @Test
  void scoreOfKnownMatrices() {
    assertEquals(1, Composition.score(diag(1, 0, 0, 0), diag(3, 0, 0, 0)), 1e-12, "same rank-1 direction");
    assertEquals(0, Composition.score(diag(1, 0, 0, 0), diag(0, 1, 0, 0)), 1e-12, "orthogonal");
    assertEquals(0.5, Composition.score(diag(1, 1, 1, 1), diag(2, 0, 0, 0)), 1e-12, "identity reads 1 of 4 dims: 1/sqrt(4)");
    assertEquals(0, Composition.score(diag(0, 0), diag(1, 1)), 0, "a zero matrix composes with nothing");
  }

  /**
   * d = 4, 2 heads of width 2. Layer-1 head 0 writes dims 0-1 (W_OV = diag(1,1,0,0)); Layer-2 head 0 reads
   * its values from dims 0-1 and writes them back there, head 1 reads dims 2-3: V-composition 1/sqrt(2) and 0.
   * Layer-2 head 0's keys read dims 0-1 and its queries dims 2-3: K-composition 1/sqrt(2), Q-composition 0.
   */
  @Test
  void scoresFromConstructedWeights() {
    ModelConfig c = new ModelConfig(3, 2, 4, 2, 2, 8, PositionalEncoding.LEARNED, 30, 0);
    try (NDManager m = Torch.newManager(ai.djl.Device.cpu()); Parameters p = Parameters.initialise(c, 1, m, DataType.FLOAT32)) {
      float[] qkv1 = new float[12 * 4];
      float[] proj1 = new float[16];
      // layer 1 head 0: value rows 8, 9 read dims 0, 1; proj columns 0, 1 write dims 0, 1
      qkv1[8 * 4] = 1;
      qkv1[9 * 4 + 1] = 1;
      proj1[0] = 1;
      proj1[4 + 1] = 1;
      float[] qkv2 = new float[12 * 4];
      float[] proj2 = new float[16];
      qkv2[0 * 4 + 2] = 1; // head 0 query rows 0, 1 read dims 2, 3
      qkv2[1 * 4 + 3] = 1;
      qkv2[4 * 4] = 1; // head 0 key rows 4, 5 read dims 0, 1
      qkv2[5 * 4 + 1] = 1;
      qkv2[8 * 4] = 1; // head 0 value rows 8, 9 read dims 0, 1
      qkv2[9 * 4 + 1] = 1;
      qkv2[10 * 4 + 2] = 1; // head 1 value rows 10, 11 read dims 2, 3
      qkv2[11 * 4 + 3] = 1;
      proj2[0] = 1; // head 0 writes dims 0, 1
      proj2[4 + 1] = 1;
      proj2[2 * 4 + 2] = 1; // head 1 writes dims 2, 3
      proj2[3 * 4 + 3] = 1;
      Parameters.assign(p.get("block0.attn.qkv"), qkv1);
      Parameters.assign(p.get("block0.attn.proj"), proj1);
      Parameters.assign(p.get("block1.attn.qkv"), qkv2);
      Parameters.assign(p.get("block1.attn.proj"), proj2);
      List<Score> s = Composition.scores(p, 0, 1);
      assertEquals(3 * 2 * 2, s.size());
      double r = 1 / Math.sqrt(2);
      assertEquals(r, find(s, Kind.V, 0, 0), 1e-6);
      assertEquals(0, find(s, Kind.V, 0, 1), 1e-6);
      assertEquals(r, find(s, Kind.K, 0, 0), 1e-6);
      assertEquals(0, find(s, Kind.Q, 0, 0), 1e-6);
      assertEquals(0, find(s, Kind.V, 1, 0), 1e-6, "layer-1 head 1 writes nothing");
    }
  }

  /**
   * At initialisation nothing composes, so the scores of a freshly initialised model must sit at the random
   * baseline (within the spread of 16 head pairs), and a planted composition well above it.
   */
  @Test
  void initialisedModelScoresAtTheRandomBaseline() {
    ModelConfig c = new ModelConfig(3, 2, 64, 8, 2, 8, PositionalEncoding.LEARNED, 30, 0);
    try (NDManager m = Torch.newManager(ai.djl.Device.cpu()); Parameters p = Parameters.initialise(c, 7, m, DataType.FLOAT32)) {
      List<Score> s = Composition.scores(p, 0, 1);
      for (Kind k : Kind.values()) {
        double base = Composition.randomBaseline(c, k, 64, 1);
        double mean = s.stream().filter(x -> x.kind() == k).mapToDouble(Score::score).average().orElseThrow();
        assertEquals(base, mean, 0.1 * base, k + ": mean score at init " + mean + " vs baseline " + base);
        assertEquals(base, Composition.randomBaseline(c, k, 64, 1), 0, "deterministic for a seed");
      }
      // ||AB||^2 of independent random matrices is about ||A||^2 ||B||^2 / d, whatever their rank
      double oneOverSqrtD = 1 / Math.sqrt(64);
      assertEquals(oneOverSqrtD, Composition.randomBaseline(c, Kind.V, 64, 2), 0.1 * oneOverSqrtD,
          "about 1/sqrt(d) for random circuits");
    }
  }

  static double find(List<Score> s, Kind kind, int sender, int receiver) {
    return s.stream().filter(x -> x.kind() == kind && x.sender().equals(new HeadRef(0, sender))
        && x.receiver().equals(new HeadRef(1, receiver))).findFirst().orElseThrow().score();
  }
}
