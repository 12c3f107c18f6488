package coopetition.app.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.app.Coop;
import coopetition.app.fit.FitCommand;
import coopetition.comparison.fit.ToyModelCurves;
import coopetition.comparison.report.SyntheticRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** ./coop forecast on bad input: one clear line naming the flag, exit code 2, nothing written. */
class ForecastCommandTest {
  @TempDir Path dir;

  /** Runs {@code ./coop forecast} on a synthetic run with these extra options; checks exit 2 and one line. */
  private String rejected(Path out, String... options) {
    Path run = SyntheticRun.demo().write(dir.resolve("run"), ToyModelCurves.paperDims(1));
    CommandLine cl = Coop.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    String[] args = new String[options.length + 5];
    args[0] = "forecast";
    args[1] = "--run";
    args[2] = run.toString();
    System.arraycopy(options, 0, args, 3, options.length);
    args[options.length + 3] = "--out";
    args[options.length + 4] = out.toString();
    int code = cl.execute(args);
    assertEquals(2, code, err.toString());
    String msg = err.toString().trim();
    assertFalse(msg.contains("\n"), msg);
    assertFalse(Files.exists(out.resolve("forecast.json")));
    return msg;
  }

  @Test
  void uptoBeyondTheRunIsOneLineAndExitTwo() {
    String msg = rejected(dir.resolve("forecast"), "--upto", "30000000");
    assertTrue(msg.contains("--upto"), msg);
    assertTrue(msg.contains("beyond what"), msg);
  }

  @Test
  void badInterferenceIsOneLineAndFixNoneFreesEveryParameter() {
    String msg = rejected(dir.resolve("forecast"), "--interference", "mech2=mech1");
    assertTrue(msg.contains("--interference: entry 'mech2=mech1' is not curve:partner"), msg);
    // The forecast holds mu2 at 0 by default; "none" names no parameter, so every one is free.
    assertTrue(FitCommand.parseFixed(List.of("none")).isEmpty());
    assertEquals(Map.of("mu2", 0.0), FitCommand.parseFixed(List.of("mu2=0")));
  }
}
