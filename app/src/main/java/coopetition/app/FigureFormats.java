package coopetition.app;

import coopetition.figures.FigureWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The {@code --formats} option of every command that draws: a picocli mixin. */
public final class FigureFormats {
  @Option(names = "--formats", split = ",", paramLabel = "FMT", defaultValue = "png,svg",
      description = "figure formats, any of png,svg,pdf (default: ${DEFAULT-VALUE})")
  List<FigureWriter.Format> formats;

  /** The chosen formats; png,svg when the mixin was never parsed (a command built in code). */
  public Set<FigureWriter.Format> get() {
    return formats == null || formats.isEmpty() ? FigureWriter.PNG_SVG : EnumSet.copyOf(formats);
  }
}
