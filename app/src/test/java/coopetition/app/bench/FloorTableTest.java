package coopetition.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FloorTableTest {

  /**
   * A round's step is compared with the rates measured in that round: when the machine slows in one round, the
   * paired shares stay put, where the medians taken apart would mix a slow step with fast rates.
   */
  @Test
  void eachRoundsStepIsComparedWithItsOwnFloor() {
    double[] floorMs = {2, 3, 2};
    double[] stepMs = {4, 6, 5};
    double[] share = FloorTable.shares(floorMs, stepMs);
    assertEquals(0.5, TrainBenchCommand.median(share), 1e-12);
    assertEquals(0.4, TrainBenchCommand.median(floorMs) / TrainBenchCommand.median(stepMs), 1e-12);
    assertEquals("40-50%", FloorTable.range(share));
  }
}
