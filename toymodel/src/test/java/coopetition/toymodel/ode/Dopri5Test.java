package coopetition.toymodel.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.toymodel.Integrator;
import coopetition.toymodel.Solver;
import coopetition.toymodel.SolverSettings;
import coopetition.toymodel.ToyConfig;
import coopetition.toymodel.ToySimulator;
import coopetition.toymodel.Trajectory;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;
import org.junit.jupiter.api.Test;

class Dopri5Test {
  @Test
  void tableauIsHipparchusDormandPrince54() {
    DormandPrince54Integrator ref = new DormandPrince54Integrator(1e-3, 1, 1e-6, 1e-6);
    double[] c = ref.getC();
    double[][] a = ref.getA();
    double[] b = ref.getB();
    assertEquals(c[0], Dopri5.C2, 1e-16);
    assertEquals(c[1], Dopri5.C3, 1e-16);
    assertEquals(c[2], Dopri5.C4, 1e-16);
    assertEquals(c[3], Dopri5.C5, 1e-16);
    double[][] mine = {
        {Dopri5.A21},
        {Dopri5.A31, Dopri5.A32},
        {Dopri5.A41, Dopri5.A42, Dopri5.A43},
        {Dopri5.A51, Dopri5.A52, Dopri5.A53, Dopri5.A54},
        {Dopri5.A61, Dopri5.A62, Dopri5.A63, Dopri5.A64, Dopri5.A65},
        {Dopri5.A71, 0, Dopri5.A73, Dopri5.A74, Dopri5.A75, Dopri5.A76}};
    for (int i = 0; i < mine.length; i++) {
      for (int j = 0; j < mine[i].length; j++) {
        assertEquals(a[i][j], mine[i][j], 1e-15, "a[" + i + "][" + j + "]");
      }
    }
    double[] b5 = {Dopri5.A71, 0, Dopri5.A73, Dopri5.A74, Dopri5.A75, Dopri5.A76, 0};
    for (int i = 0; i < b.length; i++) {
      assertEquals(b[i], b5[i], 1e-15, "b[" + i + "]");
    }
    // Error weights and dense output sum to zero (exact for constant slopes).
    assertEquals(0, Dopri5.E1 + Dopri5.E3 + Dopri5.E4 + Dopri5.E5 + Dopri5.E6 + Dopri5.E7, 1e-16);
    assertEquals(0, Dopri5.D1 + Dopri5.D3 + Dopri5.D4 + Dopri5.D5 + Dopri5.D6 + Dopri5.D7, 1e-14);
  }

  @Test
  void denseOutputMatchesHipparchusAtTightTolerance() {
    // Output times fall inside steps, so this checks the interpolant, not only the step ends.
    double[] times = ToySimulator.grid(6000, 0.7);
    ToyConfig cfg = ToyConfig.paper().withSeed(4);
    SolverSettings tight = SolverSettings.defaults(Solver.FLOW_REDUCED).withTolerances(1e-11, 1e-13);
    Trajectory mine = ToySimulator.solve(cfg, tight.withIntegrator(Integrator.DOPRI5), times);
    Trajectory ref = ToySimulator.solve(cfg, tight.withIntegrator(Integrator.DP853), times);
    double gap = 0;
    for (int i = 0; i < times.length; i++) {
      gap = Math.max(gap, Math.abs(mine.l1()[i] - ref.l1()[i]) + Math.abs(mine.l2()[i] - ref.l2()[i]));
    }
    assertTrue(gap < 1e-7, "gap " + gap);
    assertEquals(ref.landmarks().mech1Learned(), mine.landmarks().mech1Learned(), 1e-4);
    assertEquals(ref.landmarks().cross(), mine.landmarks().cross(), 1e-4);
    assertEquals(ref.stopTime(), mine.stopTime(), 1e-3);
  }

  @Test
  void fullSystemOnDopri5MatchesReduced() {
    double[] times = ToySimulator.grid(8000, 1);
    ToyConfig cfg = ToyConfig.paper().withSeed(0);
    SolverSettings s = SolverSettings.defaults(Solver.FLOW).withIntegrator(Integrator.DOPRI5).withTolerances(1e-10, 1e-12);
    Trajectory full = ToySimulator.solve(cfg, s.withProgress(true), times);
    Trajectory red = ToySimulator.solve(cfg, s.withSolver(Solver.FLOW_REDUCED).withProgress(true), times);
    Trajectory gd = ToySimulator.solve(cfg, SolverSettings.defaults(Solver.GD).withLearningRate(0.05),
        new double[] {0, 1000});
    double gap = 0;
    for (int i = 0; i < times.length; i++) {
      gap = Math.max(gap, Math.abs(full.l1()[i] - red.l1()[i]));
      for (coopetition.toymodel.ToyVector v : coopetition.toymodel.ToyVector.values()) {
        var a = full.progress().get(v);
        var b = red.progress().get(v);
        gap = Math.max(gap, Math.abs(a.norm()[i] - b.norm()[i]) + Math.abs(a.cosineDistance()[i] - b.cosineDistance()[i])
            + Math.abs(a.gradNorm()[i] - b.gradNorm()[i]));
      }
    }
    assertTrue(gap < 1e-6, "gap " + gap);
    // Moment-based progress at t = 0 equals the vector-based one of the GD solver.
    for (coopetition.toymodel.ToyVector v : coopetition.toymodel.ToyVector.values()) {
      assertEquals(gd.progress().get(v).distance()[0], full.progress().get(v).distance()[0], 1e-9);
      assertEquals(gd.progress().get(v).gradNorm()[0], full.progress().get(v).gradNorm()[0], 1e-12);
    }
  }
}
