package coopetition.app.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The done-when of issue 12 for the local executor: kill -9 the coordinator and one run mid-way, run the
 * same command again, and every run finishes, none started from scratch twice, with the metrics of an
 * uninterrupted sweep ({@link SweepFixture#assertSameMetrics}). Trains four tiny runs (about a minute on
 * two idle cores).
 */
@Tag("training")
class SweepLocalResumeTest {

  @Test
  void killedCoordinatorAndRunResumeToIdenticalMetrics(@TempDir Path tmp) throws Exception {
    Path ref = tmp.resolve("reference");
    SweepFixture.reference(ref);

    Path out = tmp.resolve("killed");
    List<String> args = SweepFixture.args(out, "--threads", "1", "--parallel", "2");
    Process coordinator = SweepFixture.coopProcess(args).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("coordinator.log").toFile()).start();
    Path victim = out.resolve("runs").resolve(SweepFixture.RUN_IDS.get(0));
    // mid-way: past a checkpoint after the start, well before the end
    SweepFixture.await(() -> SweepFixture.lastSeqs(victim) >= 3200 && Files.exists(victim.resolve("checkpoint.bin")),
        600, "run 0 to pass 3 200 sequences");
    long runPid = Long.parseLong(Files.readString(victim.resolve(LocalExecutor.PID_FILE)).trim());
    SweepFixture.sh("kill", "-9", Long.toString(coordinator.pid()), Long.toString(runPid));
    coordinator.waitFor();
    SweepFixture.await(() -> ProcessHandle.of(runPid).map(h -> !h.isAlive()).orElse(true), 30, "the run to die");
    long killedAt = SweepFixture.lastSeqs(victim);
    assertTrue(killedAt < SweepFixture.FINAL_SEQS, "killed mid-way, at " + killedAt);

    SweepFixture.Result again = SweepFixture.coop(args);
    assertEquals(0, again.code(), again.err());
    for (String id : SweepFixture.RUN_IDS) {
      SweepFixture.assertSameMetrics(ref, out, id);
    }
    List<String> log = Files.readAllLines(out.resolve(SweepLog.FILE));
    for (String id : SweepFixture.RUN_IDS) {
      assertEquals(1, log.stream().filter(l -> l.contains(" start " + id + ",")).count(), "started once: " + id + "\n" + log);
    }
    assertTrue(log.stream().anyMatch(l -> l.contains(" resume " + SweepFixture.RUN_IDS.get(0) + " from its checkpoint")),
        String.join("\n", log));
    SweepFixture.Result status = SweepFixture.coop(List.of("sweep", "status", out.toString()));
    assertTrue(status.out().contains("2 runs: 2 done"), status.out());
  }
}
