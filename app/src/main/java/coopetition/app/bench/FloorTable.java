package coopetition.app.bench;

import coopetition.transformer.model.StepCost;
import coopetition.transformer.runtime.Torch;
import coopetition.transformer.train.Trainer;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./coop bench train}'s second table: per row the floor ({@link StepCost} over {@link MachineRates}), our step
 * time and the share of the floor we reach. The rates are measured in every round right after DJL's steps, and the
 * share is the median of the rounds' own shares: this machine's speed moves by up to half within minutes, and the
 * memory-bound parts of a step move more than the matrix product, so rates taken once could meet another machine
 * than the steps did (docs/PERFORMANCE.md).
 */
final class FloorTable {
  private FloorTable() {}

  /** The floor's two rates as measured once. */
  record Rates(double gemmGflops, double triadGigabytesPerSecond) {}

  /** The rates now, on the trainer's model and the threads of an n-core row (per-thread CPU time on 1 core). */
  static Rates measure(Trainer t, int n, int b) {
    Torch.configure(n);
    boolean cpuClock = n == 1;
    double gemm = MachineRates.gemmGflops(b, t.modelConfig().dModel(), t.modelConfig().numClasses(), cpuClock);
    double triad = MachineRates.triadGigabytesPerSecond(Math.toIntExact(t.parameters().count()), cpuClock);
    Torch.configure(t.config().compute().threads());
    return new Rates(gemm, triad);
  }

  /**
   * A row from the rounds' rates and DJL's ms per step, round by round: the rates' and the step's medians, and the
   * median of the rounds' own shares with their range.
   */
  static String[] row(Trainer t, int n, int b, Rates[] rates, double[] stepMs) {
    StepCost cost = StepCost.of(t.modelConfig(), b, t.config().data().contextLength() + 1, t.parameters().count());
    double[] floorMs = new double[rates.length];
    double[] gemm = new double[rates.length];
    double[] triad = new double[rates.length];
    for (int r = 0; r < rates.length; r++) {
      gemm[r] = rates[r].gemmGflops();
      triad[r] = rates[r].triadGigabytesPerSecond();
      floorMs[r] = 1000 * cost.floorSeconds(gemm[r], triad[r]);
    }
    double[] share = shares(floorMs, stepMs);
    double floor = TrainBenchCommand.median(floorMs);
    return new String[] {Integer.toString(n), Integer.toString(b), format("%.1f", cost.flops() / 1e6),
        format("%.1f", cost.adamBytes() / 1e6), format("%.0f", TrainBenchCommand.median(gemm)),
        format("%.1f", TrainBenchCommand.median(triad)), format("%.2f", floor),
        format("%.2f", TrainBenchCommand.median(stepMs)), format("%.0f", 1000 * b / floor),
        format("%.0f%%", 100 * TrainBenchCommand.median(share)) + " (" + range(share) + ")"};
  }

  /** The table with its heading and notes. */
  static void print(List<String[]> rows) {
    System.out.println("Floor: the step's FLOPs at the measured matmul rate + Adam's bytes at the measured triad"
        + " bandwidth (docs/PERFORMANCE.md)");
    String ff = "%-6s %-6s %10s %10s %11s %9s %12s %12s %11s %16s%n";
    System.out.printf(ff, "cores", "batch", "MFLOP/step", "Adam MB", "GEMM GF/s", "triad GB/s", "floor ms", "DJL ms",
        "floor seq/s", "% floor");
    for (String[] r : rows) {
      System.out.printf(ff, (Object[]) r);
    }
    System.out.println("1 core: every rate and DJL's ms/step by the thread's CPU time (median of the rounds); 2 cores:"
        + " wall clock, DJL's faster layout. The rates are measured in every round right after DJL's steps; % floor is"
        + " the median of the rounds' own shares (their range in brackets)");
  }

  /** Each round's floor over its own step time. */
  static double[] shares(double[] floorMs, double[] stepMs) {
    double[] share = new double[floorMs.length];
    for (int r = 0; r < share.length; r++) {
      share[r] = floorMs[r] / stepMs[r];
    }
    return share;
  }

  /** The rounds' shares of the floor as "lowest-highest%". */
  static String range(double[] share) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : share) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return format("%.0f-%.0f%%", 100 * lo, 100 * hi);
  }

  private static String format(String f, Object... v) {
    return String.format(Locale.ROOT, f, v);
  }
}
