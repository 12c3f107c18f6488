package coopetition.app.bench;

import coopetition.transformer.data.Rng;
import coopetition.transformer.data.SamplerConfig;
import coopetition.transformer.data.SequenceSampler;
import coopetition.transformer.data.SyntheticBank;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times {@link SequenceSampler#sample} on the training configurations against a peer measured in the same
 * run: a bare gather of the same number of random exemplars from a flat float array (the memory-bound
 * floor any sampler pays). The ratio says how much the sampling logic itself costs. Meant to back a
 * {@code ./coop bench sampler} command; {@link #main} runs it directly.
 */
public final class SamplerBenchmark {

  /** One measured case; times are medians over rounds, in microseconds per batch. */
  public record Row(String bankName, String configName, int batch, double samplerMicros, double gatherMicros) {
    public double ratio() {
      return samplerMicros / gatherMicros;
    }
  }

  private SamplerBenchmark() {}

  /**
   * Runs every case for about {@code secondsPerCase} each, after one discarded pass over all cases so the
   * first case is not measured on less-compiled code.
   */
  public static List<Row> run(double secondsPerCase) {
    runOnce(Math.min(0.2, secondsPerCase / 4));
    return runOnce(secondsPerCase);
  }

  private static List<Row> runOnce(double secondsPerCase) {
    List<Row> rows = new ArrayList<>();
    SyntheticBank d64 = new SyntheticBank(SyntheticBank.Config.paperScale(64, 0.5, 0));
    SyntheticBank d512 = new SyntheticBank(SyntheticBank.Config.paperScale(512, 0.5, 0));
    String[] configNames = {"main (L2 B1)", "ciwl_only (L2)", "12L (L8 B3)"};
    SamplerConfig[] configs = {SamplerConfig.main(), SamplerConfig.ciwlOnly(2), SamplerConfig.bursty(8, 3)};
    int[] classes = java.util.stream.IntStream.range(0, 12_800).toArray();
    int[] exemplars = java.util.stream.IntStream.range(0, 20).toArray();
    for (SyntheticBank bank : List.of(d64, d512)) {
      String name = "synthetic D=" + bank.dim() + (bank.isMaterialised() ? " (materialised)" : " (on demand)");
      for (int c = 0; c < configs.length; c++) {
        SequenceSampler s = new SequenceSampler(bank, classes, exemplars, configs[c]);
        for (int batch : new int[] {32, 512}) {
          if (bank.dim() == 512 && batch == 512 && c > 0) {
            continue;
          }
          rows.add(measure(name, configNames[c], s, batch, secondsPerCase));
        }
      }
    }
    return rows;
  }

  private static Row measure(String bankName, String configName, SequenceSampler s, int batch, double seconds) {
    int pairs = s.config().contextLength() + 1;
    int dim = s.bank().dim();
    // Peer: gather batch·pairs random rows of dim floats from a flat array as big as a materialised bank.
    float[] flat = new float[Math.min(12_800 * 20 * dim, 1 << 24)];
    int rowsInFlat = flat.length / dim;
    float[] out = new float[batch * pairs * dim];
    Rng r = new Rng(1);
    long[] sink = {0};
    Runnable sampler = () -> sink[0] += s.sample(r.nextLong(), batch).labels()[0];
    Runnable gather = () -> {
      for (int k = 0; k < batch * pairs; k++) {
        System.arraycopy(flat, r.nextInt(rowsInFlat) * dim, out, k * dim, dim);
      }
      sink[0] += (long) out[0];
    };
    double samplerMicros = time(sampler, seconds / 2);
    double gatherMicros = time(gather, seconds / 2);
    if (sink[0] == 42) {
      System.out.print("");
    }
    return new Row(bankName, configName, batch, samplerMicros, gatherMicros);
  }

  /** Median microseconds per call over 7 rounds, after a warm-up. */
  private static double time(Runnable task, double seconds) {
    long warmEnd = System.nanoTime() + (long) (seconds * 0.3e9);
    int calls = 0;
    while (System.nanoTime() < warmEnd) {
      task.run();
      calls++;
    }
    int perRound = Math.max(1, (int) (calls / 0.3 / 7 * 0.7));
    double[] rounds = new double[7];
    for (int k = 0; k < rounds.length; k++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < perRound; i++) {
        task.run();
      }
      rounds[k] = (System.nanoTime() - t0) / 1e3 / perRound;
    }
    Arrays.sort(rounds);
    return rounds[rounds.length / 2];
  }

  public static String table(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-32s %-16s %6s %14s %14s %8s%n", "bank", "sequences", "batch",
        "sampler µs", "gather µs", "ratio"));
    for (Row row : rows) {
      sb.append(String.format(Locale.ROOT, "%-32s %-16s %6d %14.1f %14.1f %8.2f%n", row.bankName(), row.configName(),
          row.batch(), row.samplerMicros(), row.gatherMicros(), row.ratio()));
    }
    sb.append("ratio = sampler time / bare gather of the same number of exemplars (same run).\n");
    return sb.toString();
  }

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
    System.out.print(table(run(seconds)));
  }
}
