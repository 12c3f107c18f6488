package coopetition.transformer.cli;

import coopetition.io.UserInputException;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.data.Splits;
import coopetition.transformer.train.RunConfig;
import coopetition.transformer.train.Settings;
import coopetition.transformer.train.Trainer;
import coopetition.transformer.train.TrainingRun;
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
 * is available, with the ratio.
 */
@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Training throughput of the transformer (sequences/s) vs the same model and loop in PyTorch.")
public final class TrainBenchCommand implements Runnable {

  @Option(names = "--preset", description = "model and data of this preset", defaultValue = "quick")
  String preset;

  @Option(names = "--batches", split = ",", description = "batch sizes", defaultValue = "32,128,512")
  List<Integer> batches;

  @Option(names = "--seconds", description = "timed seconds per batch size (after warm-up)", defaultValue = "10")
  double seconds;

  @Option(names = "--threads", description = "intra-op threads for both engines", defaultValue = "2")
  int threads;

  @Option(names = "--python", description = "python interpreter for the PyTorch peer (else /usr/bin/python3, where"
      + " Debian's python3-torch lives)", defaultValue = "python3")
  String python;

  @Option(names = "--breakdown", description = "also time data, forward+backward and Adam separately")
  boolean breakdown;

  @Override
  public void run() {
    UserInputException.require(seconds > 0, "--seconds must be positive");
    Settings base = Presets.byName(preset).settings().with("threads", Integer.toString(threads));
    List<String[]> rows = new ArrayList<>();
    for (int b : batches) {
      UserInputException.require(b >= 1, "batch sizes must be positive, got " + b);
      RunConfig c = RunConfig.from(base.with("batch", Integer.toString(b)).with("train_seqs", "100000000"));
      FeatureBank bank = TrainingRun.openBank(c);
      Splits splits = TrainingRun.splits(c, bank);
      double djl;
      try (Trainer t = new Trainer(c, bank, splits)) {
        for (int i = 0; i < 20; i++) {
          t.trainStep();
        }
        t.lastLoss();
        long start = System.nanoTime();
        long steps = 0;
        while (System.nanoTime() - start < seconds * 1e9) {
          t.trainStep();
          steps++;
          if (steps % 50 == 0) {
            t.lastLoss();
          }
        }
        t.lastLoss(); // wait for the device
        djl = steps * (double) b / ((System.nanoTime() - start) / 1e9);
        if (breakdown) {
          printBreakdown(t, b);
        }
      }
      Double torch = torchPeer(c, b);
      rows.add(new String[] {Integer.toString(b), String.format(Locale.ROOT, "%.0f", djl),
          torch == null ? "n/a" : String.format(Locale.ROOT, "%.0f", torch),
          torch == null ? "n/a" : String.format(Locale.ROOT, "%.2f", djl / torch)});
    }
    System.out.printf("Training throughput, preset %s (K=%s, D=%s, ctx %s), %d intra-op threads%n", preset,
        base.get("classes"), base.get("dim"), base.get("context_len"), threads);
    System.out.printf("%-7s %14s %16s %14s%n", "batch", "DJL seq/s", "PyTorch seq/s", "DJL/PyTorch");
    for (String[] r : rows) {
      System.out.printf("%-7s %14s %16s %14s%n", r[0], r[1], r[2], r[3]);
    }
  }

  private static void printBreakdown(Trainer t, int b) {
    int n = 100;
    long s0 = System.nanoTime();
    List<SequenceBatch> batches = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batches.add(t.batch(t.step() + i));
    }
    long s1 = System.nanoTime();
    for (SequenceBatch sb : batches) {
      t.trainStep(sb);
    }
    t.lastLoss();
    long s2 = System.nanoTime();
    System.out.printf("  batch %d: sampling %.2f ms/step, step (fwd+bwd+Adam) %.2f ms/step%n", b,
        (s1 - s0) / 1e6 / n, (s2 - s1) / 1e6 / n);
  }

  /** Runs bench/train_torch.py for the same config; null when python3 or torch is missing. */
  private Double torchPeer(RunConfig c, int batch) {
    for (String py : new java.util.LinkedHashSet<>(List.of(python, "/usr/bin/python3"))) {
      if (hasTorch(py)) {
        return torchPeer(py, c, batch);
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

  private Double torchPeer(String python, RunConfig c, int batch) {
    Path script = Path.of(System.getProperty("coop.home", "."), "bench", "train_torch.py");
    if (!Files.isRegularFile(script)) {
      return null;
    }
    List<String> cmd = List.of(python, script.toString(), "--classes", Integer.toString(c.synthetic().classes()),
        "--dim", Integer.toString(c.synthetic().dim()), "--ctx", Integer.toString(c.contextLength()),
        "--batch", Integer.toString(batch), "--seconds", Double.toString(seconds), "--threads", Integer.toString(threads),
        "--lr", Double.toString(c.adam().lr()));
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
        if (line.startsWith("seqs_per_s ")) {
          return Double.parseDouble(line.substring(11).trim());
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
