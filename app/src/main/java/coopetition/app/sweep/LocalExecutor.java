package coopetition.app.sweep;

import coopetition.common.Progress;
import coopetition.common.UserInputException;
import coopetition.transformer.sweep.RunState;
import coopetition.transformer.sweep.SweepManifest;
import coopetition.transformer.sweep.SweepRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a sweep on this machine: {@link #plan parallel} runs at a time, each a {@code coop train}
 * subprocess writing its own run directory and log. Re-running skips finished runs and resumes interrupted
 * ones. Runs stop (checkpointing) when the coordinator dies ({@link RunWrapper}); a run still alive from an
 * earlier coordinator is waited for, never started twice. Ctrl-C (or SIGTERM) asks every run to
 * checkpoint and waits for them.
 */
final class LocalExecutor {
  static final String PID_FILE = "coop-sweep.pid";
  static final String LOG = "train.log";

  /** How many runs at once and libtorch threads per run. */
  record Plan(int parallel, int threads) {}

  /**
   * From the sweep's total size, not the runs left, so a resumed sweep gives each run the same thread
   * count as before (the thread count may change float rounding).
   */
  static Plan plan(int cores, int totalRuns, Integer threads, Integer parallel) {
    int t = threads != null ? threads : Math.max(1, cores / Math.max(1, Math.min(cores, totalRuns)));
    int p = parallel != null ? parallel : Math.max(1, cores / t);
    UserInputException.requireField(t >= 1, "threads", "must be at least 1, got " + t);
    UserInputException.requireField(p >= 1, "parallel", "must be at least 1, got " + p);
    return new Plan(p, t);
  }

  private final SweepManifest manifest;
  private final TrainLauncher launcher;
  private final Plan plan;
  private final SweepLog log;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private volatile boolean stopping;

  LocalExecutor(SweepManifest manifest, TrainLauncher launcher, Plan plan) {
    this.manifest = manifest;
    this.launcher = launcher;
    this.plan = plan;
    this.log = new SweepLog(manifest.dir());
  }

  /** A run in flight: our own child, or one adopted from an earlier coordinator. */
  private record Active(SweepRun run, ProcessHandle handle, Process process) {}

  /** Runs every unfinished run; returns the number that failed. */
  int run(boolean showProgress) {
    try {
      Files.createDirectories(manifest.dir());
    } catch (IOException e) {
      throw new UserInputException("cannot create " + manifest.dir() + " (" + e.getMessage() + "); choose another --out");
    }
    try (FileChannel ch = FileChannel.open(manifest.dir().resolve(".coordinator.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock lock = ch.tryLock()) {
      UserInputException.require(lock != null, "another ./coop sweep is running on " + manifest.dir()
          + "; wait for it, or stop it (Ctrl-C) and run this again");
      manifest.executor().put("kind", "local").put("threads_per_run", plan.threads()).put("parallel", plan.parallel());
      return loop(showProgress);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int loop(boolean showProgress) {
    Deque<SweepRun> waiting = new ArrayDeque<>();
    List<Active> active = new ArrayList<>();
    long total = 0;
    for (SweepRun r : manifest.runs()) {
      total += r.finalSeqs();
      Optional<ProcessHandle> orphan = liveRun(manifest.runDir(r));
      if (orphan.isPresent()) {
        log.line("adopt " + r.id() + ": still running as pid " + orphan.get().pid() + " from an earlier coordinator");
        active.add(new Active(r, orphan.get(), null));
        labels.put(r.id(), "running");
      } else if (manifest.state(r).phase() != RunState.Phase.DONE) {
        waiting.add(r);
      }
    }
    manifest.write(labels);
    int failed = 0;
    Thread hook = new Thread(() -> stopAll(active), "coop-sweep-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    try (Progress bar = showProgress ? Progress.start("sweep", total, "seq", seqsSoFar()) : null) {
      while (!waiting.isEmpty() || !active.isEmpty()) {
        while (!stopping && active.size() < plan.parallel() && !waiting.isEmpty()) {
          synchronized (active) {
            active.add(start(waiting.poll()));
          }
        }
        sleep(1000);
        synchronized (active) {
          for (var it = active.iterator(); it.hasNext(); ) {
            Active a = it.next();
            if (a.handle().isAlive()) {
              continue;
            }
            it.remove();
            if (a.process() == null && manifest.state(a.run()).phase() != RunState.Phase.DONE) {
              waiting.add(a.run()); // an adopted run that stopped when its coordinator died: resume it
              continue;
            }
            failed += finished(a) ? 0 : 1;
          }
        }
        if (bar != null) {
          bar.stepTo(Math.max(0, seqsSoFar()));
          bar.message(counts(active.size(), waiting.size()));
        }
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running and stops the runs
      }
    }
    return failed;
  }

  private Active start(SweepRun r) {
    Path dir = manifest.runDir(r);
    RunState st = manifest.state(r);
    String threads = Integer.toString(plan.threads());
    List<String> cmd = st.phase() == RunState.Phase.INTERRUPTED
        ? launcher.resume(dir.toAbsolutePath(), threads) : launcher.fresh(r, threads, dir.toAbsolutePath());
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve(PID_FILE));
      // stdin stays a pipe this JVM holds open: the wrapper stops the run when this coordinator dies
      ProcessBuilder pb = new ProcessBuilder(RunWrapper.wrap(cmd, dir.toAbsolutePath().resolve(PID_FILE)))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(LOG).toFile()));
      pb.environment().put(TrainLauncher.NO_BUILD_ENV, "1");
      pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE"); // as ./coop sets it, also for a bare java launcher
      Process p = pb.start();
      log.line((st.phase() == RunState.Phase.INTERRUPTED ? "resume " + r.id() + " from its checkpoint (metrics at "
          + st.seqs() + " seqs)" : "start " + r.id()) + ", pid " + p.pid() + ", threads " + threads);
      labels.put(r.id(), "running");
      manifest.write(labels);
      return new Active(r, p.toHandle(), p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd.get(0) + " for run " + r.id() + ": " + e.getMessage(), e);
    }
  }

  /** Records how a run ended; true when it is done. */
  private boolean finished(Active a) {
    RunState st = manifest.state(a.run());
    boolean done = st.phase() == RunState.Phase.DONE;
    String rc = a.process() == null ? "?" : Integer.toString(a.process().exitValue());
    try {
      Files.deleteIfExists(manifest.runDir(a.run()).resolve(PID_FILE));
    } catch (IOException ignored) {
      // a stale pid file is harmless: the next coordinator checks the process behind it
    }
    labels.put(a.run().id(), done ? "done" : "failed");
    log.line((done ? "done " : "FAILED ") + a.run().id() + " (exit " + rc + ", metrics at " + st.seqs() + " seqs)"
        + (done ? "" : "; see " + manifest.runDir(a.run()).resolve(LOG)));
    manifest.write(labels);
    return done;
  }

  private void stopAll(List<Active> active) {
    stopping = true;
    List<Active> ours;
    synchronized (active) {
      ours = new ArrayList<>(active);
    }
    for (Active a : ours) {
      if (a.process() != null) {
        a.process().destroy(); // SIGTERM: the run finishes its step, checkpoints and exits
      }
    }
    for (Active a : ours) {
      if (a.process() != null) {
        try {
          a.process().waitFor(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    System.err.println("coop sweep: interrupted; the runs checkpointed; run the same command again to continue");
  }

  /** The process an earlier coordinator started for this run directory, if it is still alive. */
  static Optional<ProcessHandle> liveRun(Path runDir) {
    Path pidFile = runDir.resolve(PID_FILE);
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      String dir = runDir.toAbsolutePath().toString();
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .filter(h -> h.info().commandLine().map(c -> c.contains(dir)).orElse(false));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private long seqsSoFar() {
    long s = 0;
    for (SweepRun r : manifest.runs()) {
      s += Math.min(r.finalSeqs(), manifest.state(r).seqs());
    }
    return s;
  }

  private String counts(int running, int waiting) {
    long done = labels.values().stream().filter("done"::equals).count();
    long failed = labels.values().stream().filter("failed"::equals).count();
    long doneBefore = manifest.runs().stream().filter(r -> !labels.containsKey(r.id())
        && manifest.state(r).phase() == RunState.Phase.DONE).count();
    return String.format("runs: %d done, %d running, %d waiting%s", done + doneBefore, running, waiting,
        failed > 0 ? ", " + failed + " failed" : "");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
