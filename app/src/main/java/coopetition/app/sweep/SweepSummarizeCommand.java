package coopetition.app.sweep;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./coop sweep summarize DIR}: landmarks per run and per grid point (median and range over seeds). */
@Command(name = "summarize", mixinStandardHelpOptions = true,
    description = "Tabulate each run's landmarks and their median and range over seeds per grid point.")
public final class SweepSummarizeCommand implements Runnable {

  @Parameters(paramLabel = "DIR", description = "the --out of ./coop sweep")
  Path dir;

  @Override
  public void run() {
    throw new coopetition.common.UserInputException("summarize is not there yet");
  }
}
