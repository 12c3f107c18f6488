package coopetition.toymodel.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import coopetition.toymodel.Solver;
import coopetition.toymodel.SolverSettings;
import coopetition.toymodel.Summary;
import coopetition.toymodel.ToyConfig;
import coopetition.toymodel.ToySimulator;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepTest {
  @Test
  void parsesSeedsAndGridInOrder() {
    SweepSpec spec = SweepSpec.parse(List.of("alpha=0,0.3", "nd=80,640", "init-scale=0.5"), "0-2,7");
    assertArrayEquals(new long[] {0, 1, 2, 7}, spec.seeds());
    List<ToyConfig> configs = spec.configs(ToyConfig.paper());
    assertEquals(4, configs.size());
    assertEquals(0.0, configs.get(1).alpha());
    assertEquals(640, configs.get(1).nd());
    assertEquals(0.3, configs.get(2).alpha());
    assertEquals(80, configs.get(2).nd());
    assertTrue(configs.stream().allMatch(c -> c.initScale() == 0.5 && c.na() == 20));
  }

  @Test
  void rejectsBadSpecsWithUserErrors() {
    for (String bad : List.of("alpha=", "foo=1", "alpha", "=1", "nd=1.5", "nd=0", "alpha=-1", "alpha=x")) {
      assertThrows(UserInputException.class,
          () -> SweepSpec.parse(List.of(bad), "0").configs(ToyConfig.paper()), bad);
    }
    assertThrows(UserInputException.class, () -> SweepSpec.parse(List.of("alpha=0", "alpha=1"), "0"));
    assertThrows(UserInputException.class, () -> SweepSpec.parse(List.of(), "5-2"));
    assertThrows(UserInputException.class, () -> SweepSpec.parse(List.of(), "a"));
  }

  @Test
  void parallelRunsEqualSequentialSolvesAndAggregate() throws InterruptedException {
    double[] times = ToySimulator.grid(16000, 1);
    SolverSettings settings = SolverSettings.defaults(Solver.FLOW_REDUCED);
    List<ToyConfig> configs = List.of(ToyConfig.paper(), ToyConfig.paper().withAlpha(0));
    long[] seeds = {0, 1, 2, 3};
    List<SweepRunner.Run> runs = SweepRunner.run(configs, seeds, settings, times, 2, i -> { });
    assertEquals(8, runs.size());
    for (int c = 0; c < 2; c++) {
      for (int s = 0; s < 4; s++) {
        SweepRunner.Run r = runs.get(c * 4 + s);
        assertEquals(configs.get(c).withSeed(seeds[s]), r.config());
        Summary direct = Summary.of(ToySimulator.solve(r.config(), settings, times));
        assertEquals(direct.l1Final(), r.summary().l1Final(), 0);
        assertEquals(direct.tMech1Learned(), r.summary().tMech1Learned(), 0);
      }
    }
    List<SweepRunner.Aggregate> agg = SweepRunner.aggregate(configs, 4, runs);
    for (int c = 0; c < 2; c++) {
      List<SweepRunner.Run> rs = runs.subList(c * 4, c * 4 + 4);
      long transientCount = rs.stream().filter(r -> r.summary().mech1Transient()).count();
      assertEquals(transientCount / 4.0, agg.get(c).fractionTransient());
    }
    // Without competition (alpha 0) mechanism 1 is never forgotten.
    assertEquals(0.0, agg.get(1).fractionTransient());
  }

  @Test
  void median() {
    assertEquals(2.0, SweepRunner.median(new double[] {3, 1, 2}));
    assertEquals(2.5, SweepRunner.median(new double[] {4, 1, 2, 3}));
    assertTrue(Double.isNaN(SweepRunner.median(new double[0])));
  }
}
