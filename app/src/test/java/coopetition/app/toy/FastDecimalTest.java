package coopetition.app.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FastDecimalTest {
  @Test
  void formatsReadably() {
    assertEquals("0", FastDecimal.toString(0));
    assertEquals("16000", FastDecimal.toString(16000));
    assertEquals("0.1", FastDecimal.toString(0.1));
    assertEquals("-2.5", FastDecimal.toString(-2.5));
    assertEquals("0.000123", FastDecimal.toString(1.23e-4));
    assertEquals("1.5E-7", FastDecimal.toString(1.5e-7));
    assertEquals("1E12", FastDecimal.toString(1e12));
    assertEquals("0.333333333333", FastDecimal.toString(1.0 / 3));
    assertEquals("NaN", FastDecimal.toString(Double.NaN));
  }

  @Test
  void roundTripsTo12SignificantDigits() {
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 200_000; i++) {
      double v = (r.nextBoolean() ? 1 : -1) * r.nextDouble() * Math.pow(10, r.nextInt(-320, 300));
      double back = Double.parseDouble(FastDecimal.toString(v));
      assertEquals(v, back, Math.abs(v) * 6e-12 + Double.MIN_VALUE, "value " + v);
    }
    for (int k = -20; k < 20; k++) {
      double p = Math.pow(10, k);
      assertEquals(p, Double.parseDouble(FastDecimal.toString(p)), p * 1e-15);
    }
  }
}
