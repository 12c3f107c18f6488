package coopetition.transformer.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's phase from its directory alone. */
class RunStateTest {

  @Test
  void newThenInterruptedThenDone(@TempDir Path dir) throws Exception {
    assertEquals(new RunState(RunState.Phase.NEW, 0), RunState.of(dir.resolve("absent"), 64));
    Files.writeString(dir.resolve("metrics.csv"), "seqs,step,train_loss\n");
    assertEquals(RunState.Phase.NEW, RunState.of(dir, 64).phase());
    Files.writeString(dir.resolve("metrics.csv"), "seqs,step,train_loss\n0,0,\n32,1,0.5\n");
    assertEquals(new RunState(RunState.Phase.NEW, 32), RunState.of(dir, 64), "rows but no checkpoint: start again");
    Files.writeString(dir.resolve("checkpoint.bin"), "x");
    assertEquals(new RunState(RunState.Phase.INTERRUPTED, 32), RunState.of(dir, 64));
    Files.writeString(dir.resolve("metrics.csv"), "seqs,step,train_loss\n0,0,\n32,1,0.5\n64,2,0.4\n");
    assertEquals(new RunState(RunState.Phase.DONE, 64), RunState.of(dir, 64));
  }
}
