package coopetition.app.sweep;

import coopetition.common.UserInputException;
import coopetition.transformer.sweep.SweepRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that spells the {@code coop train} command lines of a sweep's runs (a fresh start and a
 * resume), and which launcher runs them: {@code --launcher PATH}, else {@code $COOP_LAUNCHER}, else the
 * {@code ./coop} or {@code bin/coop} this coordinator was started from, else (tests, an IDE) this JVM's java
 * and class path.
 * Every run gets {@code COOP_NO_BUILD=1}: concurrent runs and compute nodes must never start Maven on a
 * shared {@code target/}.
 *
 * @param prefix the launcher command, e.g. {@code [/home/me/coopetition/coop]}
 */
public record TrainLauncher(List<String> prefix) {
  public static final String NO_BUILD_ENV = "COOP_NO_BUILD";

  public TrainLauncher {
    prefix = List.copyOf(prefix);
  }

  public static TrainLauncher resolve(Path option) {
    String env = System.getenv("COOP_LAUNCHER");
    Path chosen = option != null ? option : env != null && !env.isBlank() ? Path.of(env) : null;
    if (chosen != null) {
      UserInputException.requireField(Files.isExecutable(chosen), "launcher",
          chosen + " is not an executable coop launcher; give bin/coop of the distribution or the checkout's ./coop");
      return new TrainLauncher(List.of(chosen.toAbsolutePath().normalize().toString()));
    }
    String home = System.getProperty("coop.home");
    if (home != null) {
      for (Path launcher : List.of(Path.of(home, "coop"), Path.of(home, "bin", "coop"))) { // a checkout, a distribution
        if (Files.isExecutable(launcher) && !Files.isDirectory(launcher)) {
          return new TrainLauncher(List.of(launcher.toAbsolutePath().normalize().toString()));
        }
      }
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Djava.awt.headless=true", "-Dai.djl.offline=true"));
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      cmd.addAll(List.of("--add-modules", "jdk.incubator.vector")); // as bin/coop gives the commands that train
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "coopetition.app.Coop"));
    return new TrainLauncher(cmd);
  }

  /** {@code coop train --preset P --set k=v ... --set threads=T --out RUN --no-progress}, P the run's preset. */
  public List<String> fresh(SweepRun run, String threads, Path runDir) {
    List<String> c = new ArrayList<>(prefix);
    c.addAll(List.of("train", "--preset", run.preset()));
    for (String a : run.assignments()) {
      c.add("--set");
      c.add(a);
    }
    c.addAll(List.of("--set", "threads=" + threads, "--out", runDir.toString(), "--no-progress"));
    return c;
  }

  /** Continues the run in {@code runDir} from its checkpoint (its settings come from the checkpoint). */
  public List<String> resume(Path runDir, String threads) {
    List<String> c = new ArrayList<>(prefix);
    c.addAll(List.of("train", "resume", runDir.toString(), "--set", "threads=" + threads, "--no-progress"));
    return c;
  }
}
