package coopetition.comparison.report;

import coopetition.toymodel.Summary;
import coopetition.toymodel.Trajectory;

/**
 * The three landmarks of the coopetition story in one toy trajectory (toy time, NaN where absent):
 * mechanism 1 learned (L1 below a tenth of its null value), L2 crossing below L1, and mechanism 1
 * lost (L1 back above half its null value after being learned: the toy's ICL transience).
 */
public record Transitions(double mech1Learned, double cross, double mech1Lost) {

  public static Transitions of(Trajectory tr) {
    Summary s = Summary.of(tr);
    double lost = Double.NaN;
    if (s.mech1Learned()) {
      double level = Summary.TRANSIENT_FRACTION * tr.l1Null();
      double[] t = tr.t();
      double[] l1 = tr.l1();
      for (int i = 1; i < t.length; i++) {
        if (t[i] > s.tL1Min() && l1[i - 1] <= level && l1[i] > level) {
          lost = t[i - 1] + (t[i] - t[i - 1]) * (level - l1[i - 1]) / (l1[i] - l1[i - 1]);
          break;
        }
      }
    }
    return new Transitions(s.tMech1Learned(), s.tCross(), lost);
  }

  /** The same landmarks on another clock, x = origin + scale · t. */
  public Transitions mapped(double origin, double scale) {
    return new Transitions(origin + scale * mech1Learned, origin + scale * cross, origin + scale * mech1Lost);
  }
}
