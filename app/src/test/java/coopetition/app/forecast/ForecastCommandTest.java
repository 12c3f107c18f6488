package coopetition.app.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.app.Coop;
import coopetition.comparison.fit.ToyModelCurves;
import coopetition.comparison.report.SyntheticRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** ./coop forecast on bad input: one clear line naming the flag, exit code 2, nothing written. */
class ForecastCommandTest {
  @TempDir Path dir;

  @Test
  void uptoBeyondTheRunIsOneLineAndExitTwo() {
    Path run = SyntheticRun.demo().write(dir.resolve("run"), ToyModelCurves.paperDims(1));
    Path out = dir.resolve("forecast");
    CommandLine cl = Coop.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("forecast", "--run", run.toString(), "--upto", "30000000", "--out", out.toString());
    assertEquals(2, code, err.toString());
    String msg = err.toString().trim();
    assertFalse(msg.contains("\n"), msg);
    assertTrue(msg.contains("--upto"), msg);
    assertTrue(msg.contains("beyond what"), msg);
    assertFalse(Files.exists(out.resolve("forecast.json")));
  }

  @Test
  void badInterferenceIsOneLineAndFixNoneFreesEveryParameter() {
    Path run = SyntheticRun.demo().write(dir.resolve("run"), ToyModelCurves.paperDims(1));
    Path out = dir.resolve("forecast");
    CommandLine cl = Coop.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("forecast", "--run", run.toString(), "--interference", "mech2=mech1", "--out",
        out.toString());
    assertEquals(2, code, err.toString());
    String msg = err.toString().trim();
    assertFalse(msg.contains("\n"), msg);
    assertTrue(msg.contains("--interference: entry 'mech2=mech1' is not curve:partner"), msg);
    assertFalse(Files.exists(out.resolve("forecast.json")));
    // The forecast holds mu2 at 0 by default; "none" names no parameter, so every one is free.
    assertTrue(coopetition.app.fit.FitCommand.parseFixed(java.util.List.of("none")).isEmpty());
    assertEquals(java.util.Map.of("mu2", 0.0), coopetition.app.fit.FitCommand.parseFixed(java.util.List.of("mu2=0")));
  }
}
