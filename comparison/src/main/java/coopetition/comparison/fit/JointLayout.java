package coopetition.comparison.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where each run's free parameters sit in the one vector a joint fit across runs moves: first the
 * shared toy parameters (one value for every run), then, run by run, that run's own copies of the
 * other free parameters (its toy parameters that are not shared, its tau and t0). Unit coordinates
 * throughout; a shared parameter has the same box in every run, so one unit value means one value.
 *
 * @param index index[r][j]: position of run r's j-th free parameter in the joint vector
 * @param columnRun per joint position, the run it belongs to, or -1 for a shared parameter
 * @param columnParam per joint position, the parameter's index in {@link FitParameters}
 * @param shared names of the shared parameters, in parameter order
 */
record JointLayout(int[][] index, int[] columnRun, int[] columnParam, List<String> shared) {

  /**
   * @param params the parameters of every run (same names and order; boxes of tau and t0 differ per run)
   * @param free the free parameter indices, the same in every run
   * @param sharedNames toy parameters shared by all runs (must be free toy parameters)
   */
  static JointLayout of(FitParameters params, int[] free, int runs, Set<String> sharedNames) {
    List<Integer> run = new ArrayList<>();
    List<Integer> param = new ArrayList<>();
    List<String> shared = new ArrayList<>();
    int[] sharedPos = new int[params.size()];
    java.util.Arrays.fill(sharedPos, -1);
    for (int i : free) {
      if (i < params.toyCount() && sharedNames.contains(params.get(i).name())) {
        sharedPos[i] = run.size();
        run.add(-1);
        param.add(i);
        shared.add(params.get(i).name());
      }
    }
    int[][] index = new int[runs][free.length];
    for (int r = 0; r < runs; r++) {
      for (int j = 0; j < free.length; j++) {
        if (sharedPos[free[j]] >= 0) {
          index[r][j] = sharedPos[free[j]];
        } else {
          index[r][j] = run.size();
          run.add(r);
          param.add(free[j]);
        }
      }
    }
    return new JointLayout(index, run.stream().mapToInt(Integer::intValue).toArray(),
        param.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(shared));
  }

  int size() {
    return columnRun.length;
  }

  int runs() {
    return index.length;
  }

  /** Run r's free parameters (unit coordinates) out of a joint vector. */
  double[] runVector(double[] joint, int r) {
    double[] u = new double[index[r].length];
    for (int j = 0; j < u.length; j++) {
      u[j] = joint[index[r][j]];
    }
    return u;
  }

  /**
   * A joint vector from one unit vector per run: own parameters from their run, each shared one from
   * run {@code from}, or the mean over runs when {@code from} is -1.
   */
  double[] join(List<double[]> perRun, int from) {
    double[] out = new double[size()];
    int[] count = new int[size()];
    for (int r = 0; r < runs(); r++) {
      for (int j = 0; j < index[r].length; j++) {
        int c = index[r][j];
        if (columnRun[c] >= 0 || from < 0) {
          out[c] += perRun.get(r)[j];
          count[c]++;
        } else if (from == r) {
          out[c] = perRun.get(r)[j];
          count[c] = 1;
        }
      }
    }
    for (int c = 0; c < out.length; c++) {
      out[c] /= Math.max(1, count[c]);
    }
    return out;
  }

  /** Every run's unit vector of a joint point. */
  List<double[]> split(double[] joint) {
    List<double[]> out = new ArrayList<>();
    for (int r = 0; r < runs(); r++) {
      out.add(runVector(joint, r));
    }
    return out;
  }
}
