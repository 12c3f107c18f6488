package coopetition.toymodel.sweep;

import coopetition.toymodel.SolverSettings;
import coopetition.toymodel.Summary;
import coopetition.toymodel.ToyConfig;
import coopetition.toymodel.ToySimulator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/** Runs every config x seed of a sweep in parallel; results come back in grid order. */
public final class SweepRunner {
  private SweepRunner() {}

  /** One run of a sweep. */
  public record Run(ToyConfig config, Summary summary) {}

  /**
   * Solves every (config, seed) on {@code threads} threads; {@code onDone} receives the number of
   * finished runs (called from worker threads).
   */
  public static List<Run> run(List<ToyConfig> configs, long[] seeds, SolverSettings settings,
      double[] times, int threads, IntConsumer onDone) throws InterruptedException {
    List<ToyConfig> jobs = new ArrayList<>(configs.size() * seeds.length);
    for (ToyConfig c : configs) {
      for (long s : seeds) {
        jobs.add(c.withSeed(s));
      }
    }
    Run[] out = new Run[jobs.size()];
    java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "toy-sweep");
      t.setDaemon(true);
      return t;
    });
    try {
      // Chunks of consecutive jobs keep scheduling overhead small against ~1 ms solves.
      int chunk = Math.max(1, jobs.size() / (threads * 16));
      List<Future<?>> futures = new ArrayList<>();
      for (int from = 0; from < jobs.size(); from += chunk) {
        int lo = from;
        int hi = Math.min(jobs.size(), from + chunk);
        futures.add(pool.submit(() -> {
          for (int i = lo; i < hi; i++) {
            ToyConfig c = jobs.get(i);
            out[i] = new Run(c, Summary.of(ToySimulator.solve(c, settings, times)));
            onDone.accept(done.incrementAndGet());
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause);
    } finally {
      pool.shutdownNow();
    }
    return Arrays.asList(out);
  }

  /** Per-config aggregates over seeds. */
  public record Aggregate(ToyConfig config, int seeds, double fractionLearned,
      double fractionTransient, double fractionMech2Learned, double medianTL1Min, double medianL1Final) {}

  /** Aggregates consecutive runs of the same config (as {@link #run} orders them). */
  public static List<Aggregate> aggregate(List<ToyConfig> configs, int seedsPerConfig, List<Run> runs) {
    List<Aggregate> out = new ArrayList<>();
    for (int c = 0; c < configs.size(); c++) {
      List<Run> rs = runs.subList(c * seedsPerConfig, (c + 1) * seedsPerConfig);
      int learned = 0;
      int transientCount = 0;
      int learned2 = 0;
      double[] tmin = new double[rs.size()];
      int nt = 0;
      double[] l1f = new double[rs.size()];
      for (int i = 0; i < rs.size(); i++) {
        Summary s = rs.get(i).summary();
        learned += s.mech1Learned() ? 1 : 0;
        transientCount += s.mech1Transient() ? 1 : 0;
        learned2 += s.mech2Learned() ? 1 : 0;
        if (s.mech1Learned()) {
          tmin[nt++] = s.tL1Min();
        }
        l1f[i] = s.l1Final();
      }
      double n = rs.size();
      out.add(new Aggregate(configs.get(c), rs.size(), learned / n, transientCount / n, learned2 / n,
          median(Arrays.copyOf(tmin, nt)), median(l1f)));
    }
    return out;
  }

  static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
  }
}
