package coopetition.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import coopetition.common.UserInputException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainBenchCommandTest {

  @Test
  void medianAndSpreadOfRounds() {
    assertEquals(3.0, TrainBenchCommand.median(new double[] {5, 1, 3}));
    assertEquals(2.5, TrainBenchCommand.median(new double[] {4, 1, 3, 2}));
    assertEquals((5.0 - 1.0) / 3.0, TrainBenchCommand.spread(new double[] {5, 1, 3}), 1e-12);
    assertEquals(0.0, TrainBenchCommand.spread(new double[] {7}));
  }

  @Test
  void impossibleOptionsAreRefusedBeforeAnyWork() {
    TrainBenchCommand c = new TrainBenchCommand();
    new CommandLine(c).parseArgs("--rounds", "0");
    UserInputException e = assertThrows(UserInputException.class, c::run);
    assertEquals("--rounds must be at least 1", e.getMessage());
    TrainBenchCommand d = new TrainBenchCommand();
    new CommandLine(d).parseArgs("--cores", "0", "--python", "/nonexistent/python3");
    assertThrows(UserInputException.class, d::run);
    TrainBenchCommand r = new TrainBenchCommand();
    new CommandLine(r).parseArgs("--repeats", "-1");
    assertEquals("--repeats must be 0 or more", assertThrows(UserInputException.class, r::run).getMessage());
    TrainBenchCommand k = new TrainBenchCommand();
    new CommandLine(k).parseArgs("--kernels", "cuda");
    assertEquals("--kernels must be preset, libtorch, java or auto, got cuda",
        assertThrows(UserInputException.class, k::run).getMessage());
  }
}
