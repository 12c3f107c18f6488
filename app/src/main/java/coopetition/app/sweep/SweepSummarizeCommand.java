package coopetition.app.sweep;

import coopetition.app.FigureFormats;
import coopetition.common.UserInputException;
import coopetition.transformer.sweep.SweepFigures;
import coopetition.transformer.sweep.SweepManifest;
import coopetition.transformer.sweep.SweepSummary;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./coop sweep summarize DIR}: landmarks per run and per grid point (median and range over seeds). */
@Command(name = "summarize", mixinStandardHelpOptions = true,
    description = "Tabulate each finished run's landmarks (Flip peak and when, first Flip < 0.5 and < 0.2 after it,"
        + " final CIWL/ICL/IWL and train loss) and per grid point their median and range over seed sets:"
        + " OUT/runs.csv, points.csv, summary.md; figures curves (median and seed band per grid point) and"
        + " landmarks (against the first swept setting).")
public final class SweepSummarizeCommand implements Runnable {

  @Parameters(paramLabel = "DIR", description = "the --out of ./coop sweep")
  Path dir;

  @Option(names = "--out", paramLabel = "OUT", description = "where the tables and figures go (default DIR/summary)")
  Path out;

  @Mixin
  FigureFormats formats;

  @Override
  public void run() {
    SweepManifest m = SweepManifest.read(dir);
    SweepSummary summary = new SweepSummary(m);
    UserInputException.require(summary.finishedRuns() > 0, "no run of " + dir + " has finished yet; see ./coop sweep"
        + " status " + dir);
    Path target = out != null ? out : dir.resolve("summary");
    summary.write(target).forEach(f -> System.out.println("wrote " + f));
    SweepFigures.write(summary, m.spec().axes(), target, formats.get()).forEach(f -> System.out.println("wrote " + f));
    System.out.println();
    System.out.print(summary.markdown());
  }
}
