package coopetition.toymodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.toymodel.model.ToyProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

class SolverTest {
  /** Seed 0 of the paper setting: mechanism 1 learned near t = 2250, then transient. */
  static final ToyConfig TRANSIENT = ToyConfig.paper().withSeed(0);

  static double maxAbsDiff(double[] x, double[] y) {
    double m = 0;
    for (int i = 0; i < x.length; i++) {
      m = Math.max(m, Math.abs(x[i] - y[i]));
    }
    return m;
  }

  @Test
  void reducedGdEqualsFullGd() {
    double[] times = ToySimulator.grid(8000, 10);
    Trajectory full = ToySimulator.solve(TRANSIENT, SolverSettings.defaults(Solver.GD), times);
    Trajectory red = ToySimulator.solve(TRANSIENT, SolverSettings.defaults(Solver.GD_REDUCED).withProgress(true), times);
    assertTrue(maxAbsDiff(full.l1(), red.l1()) < 1e-11, "L1 gap " + maxAbsDiff(full.l1(), red.l1()));
    assertTrue(maxAbsDiff(full.l2(), red.l2()) < 1e-11);
    assertTrue(maxAbsDiff(full.loss(), red.loss()) < 1e-11);
    for (ToyVector v : ToyVector.values()) {
      VectorTrace a = full.progress().get(v);
      VectorTrace b = red.progress().get(v);
      assertTrue(maxAbsDiff(a.norm(), b.norm()) < 1e-9, v + " norm");
      assertTrue(maxAbsDiff(a.gradNorm(), b.gradNorm()) < 1e-9, v + " grad norm");
      assertTrue(maxAbsDiff(a.cosineDistance(), b.cosineDistance()) < 1e-9, v + " cos dist");
      assertTrue(maxAbsDiff(a.distance(), b.distance()) < 1e-6, v + " dist");
    }
    assertEquals(full.stopTime(), red.stopTime());
  }

  @Test
  void reducedFlowEqualsFullFlow() {
    double[] times = ToySimulator.grid(8000, 10);
    SolverSettings tight = SolverSettings.defaults(Solver.FLOW).withTolerances(1e-10, 1e-12);
    Trajectory full = ToySimulator.solve(TRANSIENT, tight, times);
    Trajectory red = ToySimulator.solve(TRANSIENT, tight.withSolver(Solver.FLOW_REDUCED), times);
    // Both are accurate to the tolerance; the sharp transition amplifies it a little.
    assertTrue(maxAbsDiff(full.l1(), red.l1()) < 1e-5, "L1 gap " + maxAbsDiff(full.l1(), red.l1()));
    assertTrue(maxAbsDiff(full.l2(), red.l2()) < 1e-5, "L2 gap " + maxAbsDiff(full.l2(), red.l2()));
    assertEquals(full.landmarks().mech1Learned(), red.landmarks().mech1Learned(), 1e-2);
  }

  @Test
  void clampsAgreeBetweenFullAndReducedAndHoldVectors() {
    double[] times = ToySimulator.grid(3000, 10);
    List<Clamp> clamps = List.of(Clamp.parse("a=target"), Clamp.parse("b=current"));
    for (Solver[] pair : new Solver[][] {{Solver.GD, Solver.GD_REDUCED}, {Solver.FLOW, Solver.FLOW_REDUCED}}) {
      Trajectory full = ToySimulator.solve(TRANSIENT, SolverSettings.defaults(pair[0]).withClamps(clamps), times);
      Trajectory red = ToySimulator.solve(TRANSIENT,
          SolverSettings.defaults(pair[1]).withClamps(clamps).withProgress(true), times);
      assertTrue(maxAbsDiff(full.l2(), red.l2()) < 1e-6, pair[0] + " L2 gap");
      for (Trajectory tr : List.of(full, red)) {
        VectorTrace a = tr.progress().get(ToyVector.A);
        VectorTrace b = tr.progress().get(ToyVector.B);
        for (int i = 0; i < tr.size(); i++) {
          assertEquals(0, a.distance()[i], 1e-6, "a stays at its target");
          assertEquals(b.norm()[0], b.norm()[i], 1e-12, "b stays at its initial value");
          assertEquals(0, a.gradNorm()[i], 0, "clamped gradient is zero");
        }
      }
    }
  }

  @Test
  void gdReproducesAHandComputedFirstStep() {
    ToyConfig cfg = new ToyConfig(3, 4, 2, 5, 0.3, 0.2, 0.05, 0.01, 1.0, 4);
    ToyProblem p = ToyProblem.sample(cfg);
    double[][] x = new double[4][];
    double[][] t = new double[4][];
    for (ToyVector v : ToyVector.values()) {
      x[v.ordinal()] = p.initial(v);
      t[v.ordinal()] = p.target(v);
    }
    double eta = 0.7;
    double[][] g = BruteForce.gradient(cfg, x, t, 1e-6);
    for (int v = 0; v < 4; v++) {
      for (int i = 0; i < x[v].length; i++) {
        x[v][i] -= eta * g[v][i];
      }
    }
    double[] expected = BruteForce.losses(cfg, x, t);
    for (Solver s : List.of(Solver.GD, Solver.GD_REDUCED)) {
      Trajectory tr = ToySimulator.solve(cfg, SolverSettings.defaults(s).withLearningRate(eta), new double[] {0, eta});
      assertEquals(expected[0], tr.l1()[1], 1e-8 * expected[0], s + " L1 after one step");
      assertEquals(expected[1], tr.l2()[1], 1e-8 * expected[1], s + " L2 after one step");
      assertEquals(expected[3], tr.loss()[1], 1e-8 * expected[3], s + " Loss after one step");
      assertEquals(2, tr.rhsEvaluations());
    }
  }

  @Test
  void gdStopsWhenLossFallsBelowThresholdCheckedBeforeTheUpdate() {
    double[] times = ToySimulator.grid(16000, 1);
    Trajectory tr = ToySimulator.solve(TRANSIENT, SolverSettings.defaults(Solver.GD_REDUCED), times);
    int k = (int) tr.stopTime();
    assertTrue(tr.loss()[k] < SolverSettings.PAPER_LOSS_THRESHOLD);
    assertTrue(tr.loss()[k - 1] >= SolverSettings.PAPER_LOSS_THRESHOLD);
    assertEquals(tr.loss()[k], tr.loss()[tr.size() - 1], 0, "state held after the stop");
    assertEquals(k + 1, tr.rhsEvaluations(), "one gradient evaluation per iterate up to the stop");
  }

  @Test
  void gdConvergesToTheFlowLinearlyInTheStep() {
    // Over the whole transient (0..6000) the sup gap in L1 halves with the step.
    double[] times = ToySimulator.grid(6000, 1);
    Trajectory flow = ToySimulator.solve(TRANSIENT,
        SolverSettings.defaults(Solver.FLOW_REDUCED).withTolerances(1e-11, 1e-13), times);
    double[] gaps = new double[3];
    double eta = 1;
    for (int i = 0; i < 3; i++, eta /= 2) {
      Trajectory gd = ToySimulator.solve(TRANSIENT,
          SolverSettings.defaults(Solver.GD_REDUCED).withLearningRate(eta), times);
      gaps[i] = maxAbsDiff(gd.l1(), flow.l1());
    }
    assertTrue(gaps[0] > 1e-3, "GD at lr 1 is visibly off the flow during the transition: " + gaps[0]);
    for (int i = 1; i < 3; i++) {
      double ratio = gaps[i - 1] / gaps[i];
      assertTrue(ratio > 1.6 && ratio < 2.5, "gap ratio " + ratio + " for gaps " + java.util.Arrays.toString(gaps));
    }
  }

  @Test
  void totalLossDecreasesAlongTheFlow() {
    Trajectory tr = ToySimulator.solve(TRANSIENT, SolverSettings.defaults(Solver.FLOW_REDUCED), ToySimulator.grid(16000, 1));
    for (int i = 1; i < tr.size(); i++) {
      assertTrue(tr.loss()[i] <= tr.loss()[i - 1] + 1e-12, "loss rose at t=" + tr.t()[i]);
    }
  }

  @Test
  void everyIntegratorGivesTheSameTrajectory() {
    double[] times = ToySimulator.grid(5000, 5);
    Trajectory ref = ToySimulator.solve(TRANSIENT, SolverSettings.defaults(Solver.FLOW_REDUCED), times);
    for (Integrator in : Integrator.values()) {
      Trajectory tr = ToySimulator.solve(TRANSIENT,
          SolverSettings.defaults(Solver.FLOW_REDUCED).withIntegrator(in), times);
      assertTrue(maxAbsDiff(ref.l1(), tr.l1()) < 1e-4, in + ": L1 gap " + maxAbsDiff(ref.l1(), tr.l1()));
    }
  }
}
