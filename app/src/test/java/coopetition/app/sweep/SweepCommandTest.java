package coopetition.app.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./coop sweep}: bad input is one line and exit 2; the SLURM array script; seed-set parsing. */
class SweepCommandTest {

  private static void oneLineExit2(SweepFixture.Result r, String expected) {
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains(expected), r.err());
  }

  @Test
  void badInputIsOneClearLineAndExit2(@TempDir Path tmp) {
    Path out = tmp.resolve("s");
    oneLineExit2(SweepFixture.coop(List.of("sweep", "--grid", "classez=1,2", "--out", out.toString())),
        "coop sweep: error: --grid: unknown setting 'classez'; did you mean classes");
    oneLineExit2(SweepFixture.coop(List.of("sweep", "--grid", "classes=", "--out", out.toString())),
        "coop sweep: error: --grid: 'classes=' is an empty grid");
    oneLineExit2(SweepFixture.coop(List.of("sweep", "--grid", "classes=4096", "--seeds", "1,x", "--out", out.toString())),
        "--seeds: '1,x' is not a range like 0-49 or a list like 1,5,9");
    oneLineExit2(SweepFixture.coop(List.of("sweep", "--seeds", "0", "--out", out.toString())), "--seeds: a count must be 1..1000");
    oneLineExit2(SweepFixture.coop(List.of("sweep", "--grid", "classes=4096")), "give --out DIR");
    assertFalse(Files.exists(out), "nothing written on bad input");
  }

  @Test
  void anOutHoldingADifferentSweepIsRefused(@TempDir Path tmp) {
    Path out = tmp.resolve("s");
    SweepFixture.Result first = SweepFixture.coop(SweepFixture.args(out, "--executor", "slurm", "--no-submit"));
    assertEquals(0, first.code(), first.err());
    List<String> other = new ArrayList<>(SweepFixture.args(out, "--executor", "slurm", "--no-submit"));
    other.set(other.indexOf("lr=1e-3,3e-3"), "lr=1e-3");
    oneLineExit2(SweepFixture.coop(other), "holds a different sweep (--preset quick --set classes=64");
  }

  @Test
  void slurmWithoutSbatchIsOneClearLine(@TempDir Path tmp) throws Exception {
    ProcessBuilder pb = SweepFixture.coopProcess(SweepFixture.args(tmp.resolve("s"), "--executor", "slurm"));
    pb.environment().put("PATH", tmp.toString()); // no sbatch there
    Process p = pb.redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes());
    assertEquals(2, p.waitFor(), text);
    assertTrue(text.strip().lines().anyMatch(l -> l.equals("coop sweep: error: --executor slurm: sbatch is not on PATH;"
        + " run on a SLURM login node (or start scripts/slurm/start-test-cluster.sh), or use --executor local")), text);
  }

  @Test
  void writesOneRequeueSafeArrayScript(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("s");
    SweepFixture.Result r = SweepFixture.coop(SweepFixture.args(out, "--executor", "slurm", "--no-submit",
        "--cpus-per-task", "2", "--time", "1:00:00", "--mem", "2G", "--partition", "short", "--sbatch=--account=abc"));
    assertEquals(0, r.code(), r.err());
    Path script = out.resolve("slurm").resolve("sweep-0.sbatch");
    String s = Files.readString(script);
    for (String line : List.of("#SBATCH --array=0,1", "#SBATCH --cpus-per-task=2", "#SBATCH --time=1:00:00",
        "#SBATCH --mem=2G", "#SBATCH --partition=short", "#SBATCH --signal=B:TERM@120", "#SBATCH --requeue",
        "#SBATCH --account=abc", "export COOP_NO_BUILD=1", "threads=\"${SLURM_CPUS_PER_TASK:-1}\"")) {
      assertTrue(s.contains(line), "script lacks " + line + ":\n" + s);
    }
    assertTrue(s.contains("'--set' \"threads=$threads\""), s);
    assertTrue(s.contains("'train' 'resume' '" + out.toAbsolutePath().resolve("runs/lr-3e-3_s0") + "'"), s);
    assertTrue(s.contains("'--set' 'lr=3e-3'"), s);
    SweepFixture.sh("bash", "-n", script.toString());
    assertTrue(Files.readString(out.resolve("sweep.json")).contains("\"kind\" : \"slurm\""));
  }

  @Test
  void aNamedSweepWritesThePresetOfEachRunIntoTheArrayScript(@TempDir Path tmp) throws Exception {
    SweepFixture.Result list = SweepFixture.coop(List.of("sweep", "--list-defs"));
    assertEquals(0, list.code(), list.err());
    for (String name : List.of("remedy-classes", "remedy-mq", "remedy-weight-decay", "transient-12l-l2",
        "transient-12l-classes", "quick-12l-l2", "quick-mlp-l2", "quick-mlp3-l2")) {
      assertTrue(list.out().contains(name), list.out());
    }
    Path out = tmp.resolve("wd");
    oneLineExit2(SweepFixture.coop(List.of("sweep", "--def", "remedy-weight-decay", "--grid", "lr=1e-3", "--out",
        out.toString())), "--def remedy-weight-decay names the preset and the grid; drop --preset and --grid");
    oneLineExit2(SweepFixture.coop(List.of("sweep", "--def", "remedy-nope", "--out", out.toString())),
        "--def: unknown sweep definition 'remedy-nope'");
    assertFalse(Files.exists(out), "nothing written on bad input");
    SweepFixture.Result r = SweepFixture.coop(List.of("sweep", "--def", "remedy-weight-decay", "--seeds", "1",
        "--set", "train_seqs=6400", "--executor", "slurm", "--no-submit", "--out", out.toString()));
    assertEquals(0, r.code(), r.err());
    String script = Files.readString(out.resolve("slurm").resolve("sweep-0.sbatch"));
    for (String preset : List.of("quick", "weight-decay", "weight-decay-adamw")) {
      assertTrue(script.contains("'--preset' '" + preset + "'"), preset + " missing:\n" + script);
    }
    assertTrue(script.contains("#SBATCH --array=0,1,2"), script);
  }

  @Test
  void seedsAreACountOrAList() {
    assertEquals(List.of(0, 1, 2), SweepCommand.seedSets("3"));
    assertEquals(List.of(1, 2, 3), SweepCommand.seedSets("1,2,3"));
    assertEquals(List.of(0, 1, 2, 7), SweepCommand.seedSets("0-2,7"));
  }

  @Test
  void threadsFollowTheWholeSweepSoAResumeKeepsThem() {
    assertEquals(new LocalExecutor.Plan(2, 1), LocalExecutor.plan(2, 5, null, null));
    assertEquals(new LocalExecutor.Plan(1, 2), LocalExecutor.plan(2, 1, null, null));
    assertEquals(new LocalExecutor.Plan(4, 2), LocalExecutor.plan(8, 4, null, null));
    assertEquals(new LocalExecutor.Plan(3, 1), LocalExecutor.plan(2, 5, 1, 3));
  }
}
