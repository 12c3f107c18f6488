package coopetition.app.train;

import coopetition.app.FigureFormats;
import coopetition.common.UserInputException;
import coopetition.transformer.train.Curves;
import coopetition.transformer.train.MetricsLog;
import coopetition.transformer.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./coop train compare RUN...}: overlays several runs' curves from their metrics.csv alone. */
@Command(name = "compare", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Overlay these runs' Flip, CIWL and IWL curves in OUT/compare.png/svg, one colour per run (labels:"
        + " --labels, else the directory names).")
public final class CompareCommand implements Runnable {

  @Parameters(paramLabel = "RUN", arity = "1..*", split = ",", description = "run directories of ./coop train")
  List<Path> runs;

  @Option(names = "--labels", split = ",", description = "one legend label per run")
  List<String> labels;

  @Option(names = "--out", description = "output directory (default runs/compare)")
  Path out;

  @Mixin
  FigureFormats formats = new FigureFormats();

  @Override
  public void run() {
    UserInputException.require(labels == null || labels.size() == runs.size(),
        "--labels has " + (labels == null ? 0 : labels.size()) + " names for " + runs.size() + " runs; give one per run");
    List<MetricsLog> logs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      Path m = runs.get(i).resolve(TrainingRun.METRICS);
      UserInputException.require(Files.isRegularFile(m), "no " + m + "; give run directories of ./coop train");
      logs.add(MetricsLog.read(m));
      names.add(labels != null ? labels.get(i) : String.valueOf(runs.get(i).toAbsolutePath().normalize().getFileName()));
    }
    Path dir = out != null ? out : Path.of("runs", "compare");
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new UserInputException("cannot create " + dir + " (" + e.getMessage() + "); choose another --out");
    }
    Curves.writeComparison(logs, names, dir.resolve("compare"), formats.get()).forEach(f -> System.out.println("wrote " + f));
  }
}
