package coopetition.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Probes find a planted linear signal and find nothing when the labels are shuffled. */
class LinearProbeTest {
  /** 3 classes in 16 dims: class c shifts one direction w_c by 2 against unit Gaussian noise. */
  static float[][] activations(String[] labels, Random r) {
    float[][] x = new float[labels.length][16];
    for (int i = 0; i < labels.length; i++) {
      int c = r.nextInt(3);
      labels[i] = "c" + c;
      for (int j = 0; j < 16; j++) {
        x[i][j] = (float) r.nextGaussian();
      }
      x[i][c * 5] += 2;
      x[i][c * 5 + 1] -= 2;
    }
    return x;
  }

  @Test
  void beatsChanceOnAKnownLinearSignalAndStaysAtChanceOnShuffledLabels() {
    String[] y = new String[900];
    float[][] x = activations(y, new Random(4));
    LinearProbe.Result real = LinearProbe.fit(x, y, "planted", 1);
    assertEquals(630, real.trainSize());
    assertEquals(270, real.testSize());
    assertTrue(real.accuracy() > 0.85, "planted signal: " + real.accuracy());
    assertTrue(real.chance() < 0.45, "three balanced classes: " + real.chance());
    LinearProbe.Result shuffled = LinearProbe.fit(x, LinearProbe.shuffled(y, 9), "shuffled", 1);
    assertTrue(Math.abs(shuffled.accuracy() - 1.0 / 3) < 0.1, "shuffled labels: " + shuffled.accuracy());
  }

  @Test
  void recordsTribuosProvenance() {
    String[] y = new String[60];
    float[][] x = activations(y, new Random(5));
    LinearProbe.Result r = LinearProbe.fit(x, y, "provenance", 2);
    String p = r.provenance().toString();
    assertTrue(p.contains("LinearSGDTrainer"), p);
    assertTrue(p.contains("provenance (train part)"), p);
    assertFalse(r.provenance().isEmpty());
  }
}
