package coopetition.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import coopetition.common.Json;
import coopetition.toymodel.Integrator;
import coopetition.toymodel.Solver;
import coopetition.toymodel.SolverSettings;
import coopetition.toymodel.ToyConfig;
import coopetition.toymodel.ToySimulator;
import coopetition.toymodel.sweep.SweepRunner;
import coopetition.toymodel.sweep.SweepSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./coop bench toy}: time per trajectory of every solver in the paper setting (16 000 time
 * units, output every unit), sweep throughput, and scipy's solve_ivp on the same closed-form RHS
 * measured in the same run.
 */
@Command(name = "toy", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Benchmark the toy-model solvers (paper setting) against scipy solve_ivp.")
public final class ToyBenchCommand implements Callable<Integer> {
  @Option(names = "--seeds", description = "Timed trajectories (seeds 0..) per solver, after warm-up.")
  int seeds = 20;
  @Option(names = "--repeats", description = "Times each trajectory is solved; 'best ms' keeps the fastest.")
  int repeats = 5;
  @Option(names = "--warmup-s", description = "Warm-up seconds per solver (JIT compilation).")
  double warmupSeconds = 2.0;
  @Option(names = "--trajectories", description = "Trajectories of the throughput sweep (flow-reduced).")
  int trajectories = 1000;
  @Option(names = "--sweep-seeds", description = "Seeds per config of the 36-config sweep.")
  int sweepSeeds = 50;
  @Option(names = "--threads", description = "Threads for the sweeps.")
  int threads = Runtime.getRuntime().availableProcessors();
  @Option(names = "--python", description = "Python with numpy and scipy for the peer; 'none' skips it.")
  String python = "python3";
  @Option(names = "--scipy-seeds", description = "Trajectories scipy solves (its time is their mean).")
  int scipySeeds = 5;

  @Override
  public Integer call() throws Exception {
    double[] times = ToySimulator.grid(16000, 1);
    System.out.printf("toy model, paper setting (dims 20,20,20,160, alpha 0.1, mu1 0.1), t in [0, 16000], "
        + "16001 outputs, rtol 1e-8 atol 1e-10, early stop at Loss < 1e-6, %d cores%n"
        + "best ms: mean over seeds of the fastest of the repeats; mean ms: all runs (includes interference)%n%n", Runtime.getRuntime().availableProcessors());
    System.out.printf("%-28s %10s %10s %10s %11s%n", "solver (integrator)", "best ms", "mean ms", "traj/s", "RHS evals");
    double flowMs = Double.NaN;
    double flowDopriMs = Double.NaN;
    double reducedMs = Double.NaN;
    List<SolverSettings> rows = List.of(
        SolverSettings.defaults(Solver.FLOW),
        SolverSettings.defaults(Solver.FLOW).withIntegrator(Integrator.DOPRI5),
        SolverSettings.defaults(Solver.FLOW).withProgress(false),
        SolverSettings.defaults(Solver.FLOW).withIntegrator(Integrator.DOPRI5).withProgress(false),
        SolverSettings.defaults(Solver.GD),
        SolverSettings.defaults(Solver.FLOW_REDUCED),
        SolverSettings.defaults(Solver.FLOW_REDUCED).withIntegrator(Integrator.DP853),
        SolverSettings.defaults(Solver.GD_REDUCED));
    for (SolverSettings settings : rows) {
      Solver s = settings.solver();
      // Warm up for at least warmupSeconds and ~1000 solves (C2 needs the calls; on a busy machine
      // its compiler threads get little CPU), but never longer than 4x warmupSeconds.
      long startWarm = System.nanoTime();
      long end = startWarm + (long) (warmupSeconds * 1e9);
      long hardEnd = startWarm + (long) (4 * warmupSeconds * 1e9);
      int w = 0;
      while (System.nanoTime() < end || (w < 1000 && System.nanoTime() < hardEnd)) {
        ToySimulator.solve(ToyConfig.paper().withSeed(w++ % 50), settings, times);
      }
      // Each of `seeds` trajectories is solved `repeats` times: the mean over all runs gives the
      // throughput; the mean over seeds of the fastest repeat is the cost without interference from
      // other processes (on a shared machine the two differ a lot).
      long evals = 0;
      double best = 0;
      long t0 = System.nanoTime();
      for (int i = 0; i < seeds; i++) {
        double b = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeats; r++) {
          long s0 = System.nanoTime();
          evals += ToySimulator.solve(ToyConfig.paper().withSeed(i), settings, times).rhsEvaluations();
          b = Math.min(b, (System.nanoTime() - s0) / 1e6);
        }
        best += b / seeds;
      }
      int n = seeds * repeats;
      double mean = (System.nanoTime() - t0) / 1e6 / n;
      double ms = best;
      if (s == Solver.FLOW && settings.integrator() == Integrator.DP853 && settings.recordProgress()) {
        flowMs = ms;
      }
      if (s == Solver.FLOW && settings.integrator() == Integrator.DOPRI5 && settings.recordProgress()) {
        flowDopriMs = ms;
      }
      if (s == Solver.FLOW_REDUCED && settings.integrator() == Integrator.DOPRI5) {
        reducedMs = ms;
      }
      String label = s.cliName() + (s.isFlow() ? " (" + settings.integrator().cliName() + ")" : "")
          + (settings.recordProgress() ? " +progress" : "");
      System.out.printf("%-28s %10.3f %10.3f %10.0f %11.0f%n", label, best, mean, 1000 / mean, (double) evals / n);
    }

    SolverSettings reduced = SolverSettings.defaults(Solver.FLOW_REDUCED);
    long t0 = System.nanoTime();
    SweepRunner.run(List.of(ToyConfig.paper()), seeds(trajectories), reduced, times, threads, i -> { });
    double s1 = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%nsweep, %d trajectories (flow-reduced, %d threads): %.2f s, %.0f trajectories/s%n",
        trajectories, threads, s1, trajectories / s1);

    SweepSpec spec = SweepSpec.parse(List.of("alpha=0,0.05,0.1,0.3", "nd=80,160,640", "mu1=0.05,0.1,0.2"),
        "0-" + (sweepSeeds - 1));
    var configs = spec.configs(ToyConfig.paper());
    t0 = System.nanoTime();
    SweepRunner.run(configs, spec.seeds(), reduced, times, threads, i -> { });
    double s2 = (System.nanoTime() - t0) / 1e9;
    System.out.printf("sweep, %d configs x %d seeds = %d trajectories (flow-reduced, %d threads): %.2f s%n",
        configs.size(), sweepSeeds, configs.size() * sweepSeeds, threads, s2);

    List<JsonNode> peers = scipy();
    if (!peers.isEmpty()) {
      System.out.printf("%nscipy solve_ivp, same closed-form RHS (full 220-dim), tolerances, 16001 outputs, early stop:%n");
      System.out.printf("%-28s %10s %10s %11s %s%n", "method", "best ms", "mean ms", "RHS evals", "  ratio to Java (best ms)");
      for (JsonNode peer : peers) {
        String method = peer.get("method").asText();
        double best = peer.get("best_ms").asDouble();
        String ratio = switch (method) {
          case "DOP853" -> String.format("  %.1fx flow (dp853), %.0fx flow (dopri5), %.0fx flow-reduced",
              best / flowMs, best / flowDopriMs, best / reducedMs);
          case "RK45" -> String.format("  %.0fx flow (dopri5, the same method)", best / flowDopriMs);
          default -> "";
        };
        System.out.printf("%-28s %10.1f %10.1f %11.0f%s%n", "scipy " + method, best,
            peer.get("mean_ms").asDouble(), peer.get("rhs_evaluations").asDouble(), ratio);
      }
    }
    return 0;
  }

  private static long[] seeds(int n) {
    long[] s = new long[n];
    for (int i = 0; i < n; i++) {
      s[i] = i;
    }
    return s;
  }

  /** Runs bench/toy_scipy.py; empty (with a note) when python, numpy or scipy is missing. */
  private List<JsonNode> scipy() throws InterruptedException {
    if ("none".equals(python)) {
      return List.of();
    }
    Path script = Path.of(System.getProperty("coop.home", "."), "bench", "toy_scipy.py");
    if (!Files.isRegularFile(script)) {
      System.out.println("\nscipy peer skipped: " + script + " not found");
      return List.of();
    }
    try {
      Process p = new ProcessBuilder(python, script.toString(), "--seeds", Integer.toString(scipySeeds),
          "--repeats", "2")
          .redirectErrorStream(true).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        System.out.println("\nscipy peer skipped: " + python + " failed: " + lastLine(out));
        return List.of();
      }
      List<JsonNode> rows = new java.util.ArrayList<>();
      for (String line : out.split("\n")) {
        if (line.startsWith("{")) {
          rows.add(Json.MAPPER.readTree(line));
        }
      }
      return rows;
    } catch (IOException e) {
      System.out.println("\nscipy peer skipped: cannot run " + python + " (" + e.getMessage() + ")");
      return List.of();
    }
  }

  private static String lastLine(String s) {
    int nl = s.lastIndexOf('\n');
    return nl < 0 ? s : s.substring(nl + 1);
  }
}
