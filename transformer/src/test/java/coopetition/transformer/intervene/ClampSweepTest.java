package coopetition.transformer.intervene;

import static org.junit.jupiter.api.Assertions.assertEquals;

import coopetition.transformer.eval.Evaluator;
import coopetition.transformer.mech.Claims;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fig 2b's verdict from constructed sweeps. */
class ClampSweepTest {
  static List<Measured> sweep(double accLo, double accHi, double lossLo, double lossHi) {
    List<Measured> rows = new ArrayList<>();
    rows.add(new Measured("none", "", Double.NaN, Evaluator.CIWL, 0.9, 0.9, 0.3));
    for (String h : List.of("1:0", "1:1")) {
      rows.add(new Measured("clamp", h, -1, Evaluator.CIWL, accLo, accLo, lossLo));
      rows.add(new Measured("clamp", h, 1, Evaluator.CIWL, accHi, accHi, lossHi));
    }
    return rows;
  }

  @Test
  void verdicts() {
    assertEquals(Claims.Verdict.HOLDS, ClampSweep.claim(sweep(0.1, 0.9, 3, 0.2), 5).verdict());
    assertEquals(Claims.Verdict.PARTLY, ClampSweep.claim(sweep(0.99, 1.0, 0.3, 0.1), 5).verdict(), "saturated accuracy");
    assertEquals(Claims.Verdict.DOES_NOT_HOLD, ClampSweep.claim(sweep(0.9, 0.5, 0.1, 0.8), 5).verdict());
    assertEquals(Claims.Verdict.NOT_MEASURED, ClampSweep.claim(sweep(0.1, 0.9, 3, 0.2).subList(0, 1), 5).verdict());
  }
}
