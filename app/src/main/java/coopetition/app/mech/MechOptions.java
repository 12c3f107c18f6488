package coopetition.app.mech;

import coopetition.common.UserInputException;
import coopetition.transformer.mech.StoredRun;
import coopetition.transformer.runtime.Torch;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every mechanistic command shares: the run, libtorch threads, the progress bar. */
public final class MechOptions {
  @Option(names = "--run", required = true, paramLabel = "RUN", description = "run directory written by ./coop train")
  Path run;

  @Option(names = "--threads", defaultValue = "1", description = "libtorch intra-op threads (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--no-progress", description = "no progress bar (for logs)")
  public boolean noProgress;

  public StoredRun open() {
    UserInputException.requireField(threads >= 0, "threads", "must be >= 0 (0 = library default), got " + threads);
    Torch.configure(threads);
    return StoredRun.open(run);
  }
}
