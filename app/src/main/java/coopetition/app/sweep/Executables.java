package coopetition.app.sweep;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds programs on PATH (sbatch, squeue) before a command relies on them. */
final class Executables {
  private Executables() {}

  static boolean onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
        return true;
      }
    }
    return false;
  }
}
