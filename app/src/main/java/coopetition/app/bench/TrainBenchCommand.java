package coopetition.app.bench;

import coopetition.common.Provenance;
import coopetition.common.UserInputException;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.data.Splits;
import coopetition.transformer.config.Compute;
import coopetition.transformer.config.Presets;
import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.train.Trainer;
import coopetition.transformer.train.TrainingRun;
import coopetition.transformer.runtime.Torch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./coop bench train}: training throughput (sequences/s) of the quick-preset model at several
 * batch sizes, and the same model and loop in PyTorch (bench/train_torch.py) when python3 with torch
 * is available, with the ratio; and per row the floor ({@link FloorTable}) with our
 * step time as a share of it.
 */
@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Training throughput of the transformer (sequences/s) vs the same model and loop in PyTorch.")
public final class TrainBenchCommand implements Runnable {

  @Option(names = "--preset", description = "model and data of this preset", defaultValue = "quick")
  String preset;

  @Option(names = "--batches", split = ",", description = "batch sizes", defaultValue = "32,128,512")
  List<Integer> batches;

  @Option(names = "--seconds", description = "timed seconds per engine and round (after warm-up)", defaultValue = "4")
  double seconds;

  @Option(names = "--rounds", description = "rounds per row, alternating DJL and PyTorch so that both see the same"
      + " machine; the table gives each engine's median", defaultValue = "3")
  int rounds;

  @Option(names = "--cores", split = ",", description = "cores given to each engine: PyTorch gets that many"
      + " intra-op threads; DJL runs with that many intra-op threads and, at 2 cores, also as 2 workers x 1 thread",
      defaultValue = "1,2")
  List<Integer> cores;

  @Option(names = "--python", description = "python interpreter for the PyTorch peer (else /usr/bin/python3, where"
      + " Debian's python3-torch lives)", defaultValue = "python3")
  String python;

  @Option(names = "--repeats", description = "a row whose rounds spread more than 20%% is measured again, up to this"
      + " many times, keeping the attempt that spread least; a row still above is flagged with !", defaultValue = "2")
  int repeats;

  @Option(names = "--kernels", description = "DJL's training kernels: preset (the preset's own: auto for quick,"
      + " which is java on a CPU), libtorch (its numbers bit for bit), java (attention core, loss and Adam in Java;"
      + " other rounding, docs/PERFORMANCE.md) or auto", defaultValue = "preset")
  String kernelsName;

  @Option(names = "--breakdown", description = "also time sampling vs the step, and the unembedding GEMM"
      + " [batch x d_model] x [d_model x K] in both engines (each engine's BLAS)")
  boolean breakdown;

  @Override
  public void run() {
    UserInputException.require(seconds > 0, "--seconds must be positive");
    UserInputException.require(rounds >= 1, "--rounds must be at least 1");
    UserInputException.require(repeats >= 0, "--repeats must be 0 or more");
    cores.forEach(n -> UserInputException.require(n >= 1, "core counts must be positive, got " + n));
    batches.forEach(b -> UserInputException.require(b >= 1, "batch sizes must be positive, got " + b));
    kernels = switch (kernelsName.trim().toLowerCase(Locale.ROOT)) {
      case "preset" -> null;
      case "libtorch" -> Compute.Kernels.LIBTORCH;
      case "java" -> Compute.Kernels.JAVA;
      case "auto" -> Compute.Kernels.AUTO;
      default -> throw new UserInputException("--kernels must be preset, libtorch, java or auto, got " + kernelsName);
    };
    String py = torchPython();
    List<String[]> rows = new ArrayList<>();
    List<String[]> floors = new ArrayList<>();
    for (int n : cores) {
      for (int b : batches) {
        rows.add(row(n, b, py, floors));
      }
    }
    TrainConfig base = Presets.byName(preset).config();
    System.out.printf("Training throughput (sequences/s), preset %s (K=%d, D=%d, ctx %d), DJL's kernels %s;"
        + " median of %d alternating rounds of %.0f s%n", preset, base.data().synthetic().classes(),
        base.data().synthetic().dim(), base.data().contextLength(), kernelsUsed, rounds, seconds);
    System.out.println("MKL kernels (libtorch's GEMMs): " + Provenance.describeMklKernels());
    String format = "%-6s %-6s %13s %17s %14s %12s %10s%n";
    System.out.printf(format, "cores", "batch", "DJL threads=n", "DJL workers=2x1", "PyTorch n thr", "best ratio",
        "spread");
    for (String[] r : rows) {
      System.out.printf(format, (Object[]) r);
    }
    System.out.println("best ratio = faster DJL layout / PyTorch; spread = (max-min)/median over the rounds, worst"
        + " engine (how much the machine moved); ! = still above " + Math.round(100 * MAX_SPREAD) + "% after "
        + repeats + " repeats");
    System.out.println();
    FloorTable.print(floors);
    if (py != null) {
      System.out.println("PyTorch peer: " + py + " bench/train_torch.py (same model, Adam, batch; OMP_WAIT_POLICY=PASSIVE)");
    }
  }

  /** The kernels asked for, or null for the preset's. */
  private Compute.Kernels kernels;
  /** What the trainers ran ({@code auto} decided), for the header. */
  private String kernelsUsed = "?";

  /** Rounds whose (max - min) / median exceeds this are measured again. */
  static final double MAX_SPREAD = 0.2;

  /**
   * Seq/s per round of each engine, DJL's CPU ms per step (1 thread) per round, and the floor's rates measured in each
   * round right after DJL's steps ({@link FloorTable}).
   */
  private record Rounds(double[] djl, double[] djlCpuMs, double[] djl2, double[] torch, FloorTable.Rates[] rates) {
    double spread() {
      double s = TrainBenchCommand.spread(djl);
      if (!Double.isNaN(djl2[0])) {
        s = Math.max(s, TrainBenchCommand.spread(djl2));
      }
      if (!Double.isNaN(torch[0])) {
        s = Math.max(s, TrainBenchCommand.spread(torch));
      }
      return s;
    }
  }

  /**
   * One table row: DJL with n intra-op threads, DJL as 2 workers x 1 thread (n = 2 only), PyTorch with n;
   * adds the row's floor to {@code floors}.
   */
  private String[] row(int n, int b, String py, List<String[]> floors) {
    TrainConfig preset = Presets.byName(this.preset).config();
    TrainConfig base = preset.withSchedule(preset.schedule().withTrainSeqs(100_000_000).withBatch(b));
    if (kernels != null) {
      base = base.withCompute(base.compute().withKernels(kernels));
    }
    TrainConfig threaded = base.withCompute(base.compute().withThreads(n).withWorkers(1));
    TrainConfig split = n == 2 ? base.withCompute(base.compute().withThreads(1).withWorkers(2)) : null;
    FeatureBank bank = TrainingRun.openBank(threaded);
    Splits splits = TrainingRun.splits(threaded, bank);
    Rounds m;
    try (Trainer t = new Trainer(threaded, bank, splits); Trainer t2 = split == null ? null : new Trainer(split, bank, splits)) {
      Compute.Kernels asked = threaded.compute().kernels();
      String used = t.kernels().name().toLowerCase(Locale.ROOT);
      kernelsUsed = asked == Compute.Kernels.AUTO ? "auto (" + used + ")" : used;
      warmUp(t);
      if (t2 != null) {
        warmUp(t2);
      }
      m = measure(t, t2, py, threaded, b, n);
      for (int r = 0; r < repeats && m.spread() > MAX_SPREAD; r++) {
        Rounds again = measure(t, t2, py, threaded, b, n);
        m = again.spread() < m.spread() ? again : m;
      }
      if (breakdown) {
        printBreakdown(t, b, n, py, threaded);
      }
      floors.add(FloorTable.row(t, n, b, m.rates(), stepMs(m, n, b)));
    }
    double d = median(m.djl());
    double d2 = median(m.djl2()); // NaN when there is no second layout (1 core)
    double p = median(m.torch());
    double best = Double.isNaN(d2) ? d : Math.max(d, d2);
    double spread = m.spread();
    return new String[] {Integer.toString(n), Integer.toString(b), fmt(d), fmt(d2), fmt(p),
        Double.isNaN(p) ? "n/a" : String.format(Locale.ROOT, "%.2f", best / p),
        String.format(Locale.ROOT, "%.0f%%%s", 100 * spread, spread > MAX_SPREAD ? " !" : "")};
  }

  private Rounds measure(Trainer t, Trainer t2, String py, TrainConfig threaded, int b, int n) {
    Rounds m = new Rounds(new double[rounds], new double[rounds], new double[rounds], new double[rounds],
        new FloorTable.Rates[rounds]);
    for (int r = 0; r < rounds; r++) {
      double[] djl = timeDjl(t, b);
      m.djl()[r] = djl[0];
      m.djlCpuMs()[r] = djl[1];
      m.djl2()[r] = t2 == null ? Double.NaN : timeDjl(t2, b)[0];
      m.rates()[r] = FloorTable.measure(t, n, b);
      Double peer = py == null ? null : torchPeer(py, threaded, b, n, false);
      m.torch()[r] = peer == null ? Double.NaN : peer;
    }
    return m;
  }

  /** DJL's ms per step, round by round: CPU time on 1 core, else the wall clock of the faster layout. */
  private static double[] stepMs(Rounds m, int n, int b) {
    double[] ms = new double[m.djl().length];
    for (int r = 0; r < ms.length; r++) {
      double best = Double.isNaN(m.djl2()[r]) ? m.djl()[r] : Math.max(m.djl()[r], m.djl2()[r]);
      ms[r] = n == 1 ? m.djlCpuMs()[r] : 1000 * b / best;
    }
    return ms;
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
  }

  /**
   * At least 20 steps and 2 s: a fresh trainer's first tens of steps at batch 512 still fault in new memory
   * (up to 4 000 pages a step, twice the steady step time), which 20 steps alone did not outlast.
   */
  private static void warmUp(Trainer t) {
    Torch.configure(t.config().compute().threads());
    long start = System.nanoTime();
    for (int i = 0; i < 20 || System.nanoTime() - start < 2_000_000_000L; i++) {
      t.trainStep();
    }
    t.lastLoss();
  }

  /**
   * Sequences per second (wall clock) over {@link #seconds} of training steps, and the calling thread's CPU
   * milliseconds per step (all of a step's CPU time with one intra-op thread and one worker).
   */
  private double[] timeDjl(Trainer t, int b) {
    Torch.configure(t.config().compute().threads()); // the calling thread's intra-op count is per trainer here
    long start = System.nanoTime();
    long cpu = MachineRates.now(true);
    long steps = 0;
    while (System.nanoTime() - start < seconds * 1e9) {
      t.trainStep();
      steps++;
      if (steps % 50 == 0) {
        t.lastLoss();
      }
    }
    t.lastLoss(); // wait for the device
    double cpuMs = (MachineRates.now(true) - cpu) / 1e6 / steps;
    return new double[] {steps * (double) b / ((System.nanoTime() - start) / 1e9), cpuMs};
  }

  static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** (max - min) / median: how much the machine moved under the measurement. */
  static double spread(double[] v) {
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (double x : v) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    return (hi - lo) / median(v);
  }

  private void printBreakdown(Trainer t, int b, int th, String py, TrainConfig c) {
    Torch.configure(t.config().compute().threads());
    int n = 100;
    long s0 = System.nanoTime();
    List<SequenceBatch> samples = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      samples.add(t.batch(t.step() + i));
    }
    long s1 = System.nanoTime();
    for (SequenceBatch sb : samples) {
      t.trainStep(sb);
    }
    t.lastLoss();
    long s2 = System.nanoTime();
    double djlGemm = MachineRates.gemmGflops(b, t.modelConfig().dModel(), t.modelConfig().numClasses(), false);
    Double torchGemm = py == null ? null : torchPeer(py, c, b, th, true);
    System.out.printf(Locale.ROOT, "  threads %d batch %d: sampling %.2f ms/step, step (fwd+bwd+Adam) %.2f ms/step;"
        + " unembedding GEMM %d x %d x %d: DJL %.0f GFLOP/s, PyTorch %s GFLOP/s%n", th, b, (s1 - s0) / 1e6 / n,
        (s2 - s1) / 1e6 / n, b, t.modelConfig().dModel(), t.modelConfig().numClasses(), djlGemm,
        torchGemm == null ? "n/a" : String.format(Locale.ROOT, "%.0f", torchGemm));
  }

  /** The first of --python and /usr/bin/python3 that imports torch; null (with a hint) when neither does. */
  private String torchPython() {
    for (String py : new java.util.LinkedHashSet<>(List.of(python, "/usr/bin/python3"))) {
      if (hasTorch(py)) {
        return py;
      }
    }
    System.err.println("coop bench train: no python3 with torch found; run bench/install_torch.sh for the PyTorch peer");
    return null;
  }

  private static boolean hasTorch(String py) {
    try {
      Process p = new ProcessBuilder(py, "-c", "import torch").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Runs bench/train_torch.py for the same config: sequences/s, or with {@code gemm} the GFLOP/s of the
   * unembedding matmul; null when it fails.
   */
  private Double torchPeer(String python, TrainConfig c, int batch, int th, boolean gemm) {
    Path script = Path.of(System.getProperty("coop.home", "."), "bench", "train_torch.py");
    if (!Files.isRegularFile(script)) {
      return null;
    }
    List<String> cmd = List.of(python, script.toString(), "--classes", Integer.toString(c.data().synthetic().classes()),
        "--dim", Integer.toString(c.data().synthetic().dim()), "--ctx", Integer.toString(c.data().contextLength()),
        "--batch", Integer.toString(batch), "--seconds", Double.toString(seconds), "--threads", Integer.toString(th),
        "--lr", Double.toString(c.adam().lr()), "--d-model", Integer.toString(c.architecture().dModel()));
    if (gemm) {
      cmd = new ArrayList<>(cmd);
      cmd.add("--gemm");
    }
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
      Process p = pb.start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(10 * (long) seconds + 120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        System.err.println("coop bench train: PyTorch peer unavailable (" + lastLine(out) + "); run bench/install_torch.sh");
        return null;
      }
      for (String line : out.split("\n")) {
        String key = gemm ? "gemm_gflops " : "seqs_per_s ";
        if (line.startsWith(key)) {
          return Double.parseDouble(line.substring(key.length()).trim());
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String lastLine(String s) {
    String[] lines = s.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1];
  }
}
