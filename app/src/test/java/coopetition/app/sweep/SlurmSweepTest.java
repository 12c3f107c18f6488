package coopetition.app.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SLURM cluster (scripts/slurm/start-test-cluster.sh: one node on localhost; as root it installs
 * Debian's slurm and munge packages when missing): a two-run sweep through {@code --executor slurm}, one
 * task sent SIGTERM mid-run and requeued, both runs finish with the metrics of a local sweep
 * ({@link SweepFixture#assertSameMetrics}). Skipped,
 * with the reason, where the cluster cannot be started (not root, no apt, offline).
 */
@Tag("slurm")
class SlurmSweepTest {
  private static final Path SCRIPTS = repoRoot().resolve("scripts").resolve("slurm");
  private static boolean startedHere;

  private static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    return Files.isDirectory(p.resolve("scripts")) ? p : p.getParent(); // surefire runs in app/
  }

  @BeforeAll
  static void startCluster() throws Exception {
    boolean wasUp = run("sinfo", "-h") == 0;
    Process p = new ProcessBuilder("bash", SCRIPTS.resolve("start-test-cluster.sh").toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    int code = p.waitFor();
    Assumptions.assumeTrue(code != 3, "SLURM integration test skipped: " + out.strip());
    assertEquals(0, code, "start-test-cluster.sh failed:\n" + out);
    startedHere = !wasUp;
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (startedHere) {
      run("bash", SCRIPTS.resolve("stop-test-cluster.sh").toString());
    }
  }

  private static int run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor();
    } catch (IOException e) {
      return 127;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  @Test
  void aSignalledAndRequeuedTaskFinishesWithTheLocalMetrics(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("slurm");
    SweepFixture.Result submitted = SweepFixture.coop(SweepFixture.args(out, "--executor", "slurm", "--cpus-per-task", "1",
        "--time", "0:30:00", "--signal-lead", "60"));
    assertEquals(0, submitted.code(), submitted.err());
    String job = com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
        .readTree(out.resolve("sweep.json").toFile()).at("/executor/submissions/0/job_id").asText();
    assertTrue(job.matches("\\d+"), "job id " + job);

    Path victim = out.resolve("runs").resolve(SweepFixture.RUN_IDS.get(0));
    SweepFixture.await(() -> SweepFixture.lastSeqs(victim) >= 3200 && Files.exists(victim.resolve("checkpoint.bin")),
        900, "task 0 to pass 3 200 sequences");
    SweepFixture.sh("scancel", "--batch", "--signal=TERM", job + "_0");
    // squeue answers null when it fails (a busy slurmctld times out under load): never read as "gone".
    SweepFixture.await(() -> isGone(squeue(job), job + "_0 "), 300, "task 0 to stop after SIGTERM");
    long stoppedAt = SweepFixture.lastSeqs(victim);
    assertTrue(stoppedAt < SweepFixture.FINAL_SEQS, "stopped mid-way, at " + stoppedAt);
    assertTrue(SweepFixture.coop(List.of("sweep", "status", out.toString())).out().contains(" failed "),
        "a signalled task shows as failed until requeued");

    SweepFixture.sh("scontrol", "requeue", job + "_0");
    // SLURM delays a requeued job (about two minutes) because slurmd refuses, for the rest of the second
    // it revoked the killed task's credential, to launch the same job again ("Job credential revoked",
    // exit 1 at once). A few seconds are enough; "now" lost that race in CI.
    SweepFixture.sh("scontrol", "update", "JobId=" + job + "_0", "StartTime=now+5");
    // Wait for the requeued task's own result, not only an empty queue: a requeued task can be missing
    // from squeue for a moment before it is pending again. A task that leaves the queue without its
    // result fails the test at once, with what SLURM and the run wrote.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(900);
    int goneWithoutResult = 0;
    while (!(SweepFixture.lastSeqs(victim) >= SweepFixture.FINAL_SEQS && isGone(squeue(job), job))) {
      goneWithoutResult = isGone(squeue(job), job) ? goneWithoutResult + 1 : 0;
      if (goneWithoutResult >= 25 || System.nanoTime() > deadline) { // 25 polls = 5 s out of the queue
        throw new AssertionError((goneWithoutResult >= 25 ? "the requeued task left the queue at "
            : "timed out after 900 s at ") + SweepFixture.lastSeqs(victim) + " of " + SweepFixture.FINAL_SEQS
            + " sequences\n" + diagnostics(out, job));
      }
      Thread.sleep(200);
    }
    SweepFixture.Result status = SweepFixture.coop(List.of("sweep", "status", out.toString()));
    assertTrue(status.out().contains("2 runs: 2 done"), status.out());
    assertTrue(Files.readString(victim.resolve("train.log")).contains(": resume"), "the requeued task resumed");

    Path ref = tmp.resolve("local");
    SweepFixture.reference(ref);
    for (String id : SweepFixture.RUN_IDS) {
      SweepFixture.assertSameMetrics(ref, out, id);
    }
  }

  /** What SLURM and the victim run wrote, for a failure message. */
  private static String diagnostics(Path out, String job) {
    StringBuilder sb = new StringBuilder();
    sb.append("squeue: ").append(squeue(job)).append('\n');
    try {
      sb.append("scontrol show job: ").append(SweepFixture.sh("scontrol", "-o", "show", "job", job)).append('\n');
    } catch (IOException | InterruptedException | AssertionError e) {
      sb.append("scontrol show job failed: ").append(e.getMessage()).append('\n');
    }
    for (Path f : List.of(out.resolve("slurm").resolve(job + "_0.out"),
        out.resolve("runs").resolve(SweepFixture.RUN_IDS.get(0)).resolve("train.log"),
        Path.of(System.getenv().getOrDefault("COOP_SLURM_DIR", "/tmp/coop-slurm"), "log", "slurmd.log"))) {
      try {
        List<String> lines = Files.readAllLines(f);
        sb.append("--- ").append(f).append(" (last 15 lines)\n");
        lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> sb.append(l).append('\n'));
      } catch (IOException e) {
        sb.append("--- ").append(f).append(": ").append(e.getMessage()).append('\n');
      }
    }
    return sb.toString();
  }

  private static boolean isGone(String queue, String entry) {
    return queue != null && !queue.contains(entry);
  }

  /** The job's tasks as "id state" lines, or null when squeue fails. */
  private static String squeue(String job) {
    try {
      Process p = new ProcessBuilder("squeue", "-h", "-r", "-j", job, "-o", "%i %T").redirectErrorStream(true).start();
      String s = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      return p.exitValue() == 0 ? s : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
