package coopetition.app.train;

import coopetition.app.FigureFormats;
import coopetition.transformer.train.TrainingRun;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ./coop train replot DIR}: redraws a run's curves from its metrics.csv and config.json. */
@Command(name = "replot", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Redraw DIR/curves.* from DIR/metrics.csv and DIR/config.json (no training).")
public final class ReplotCommand implements Runnable {

  @Parameters(index = "0", paramLabel = "DIR", description = "run directory of ./coop train")
  Path dir;

  @Mixin
  FigureFormats formats = new FigureFormats();

  @Override
  public void run() {
    TrainingRun.replot(dir, formats.get()).forEach(f -> System.out.println("wrote " + f));
  }
}
