package coopetition.app.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Wraps a run's command so that it never outlives its coordinator: a small bash parent starts the run,
 * writes the run's pid to the run directory, and watches its stdin, a pipe the coordinator holds open. When
 * the coordinator dies (even by kill -9) the pipe reaches end-of-file and the run gets SIGTERM: it
 * checkpoints and exits, and the next coordinator resumes it. SIGTERM or Ctrl-C to the wrapper is passed on.
 */
final class RunWrapper {
  private RunWrapper() {}

  private static final String SCRIPT = """
      pidfile="$1"; shift
      exec 3<&0
      "$@" </dev/null 3<&- &
      run=$!
      echo "$run" >"$pidfile"
      trap 'kill -TERM "$run" 2>/dev/null' TERM INT
      ( while read -r -u 3 _; do :; done; kill -TERM "$run" 2>/dev/null ) &
      watcher=$!
      exec 3<&-
      rc=0
      while kill -0 "$run" 2>/dev/null; do wait "$run"; rc=$?; done
      kill "$watcher" 2>/dev/null
      exit "$rc"
      """;

  static List<String> wrap(List<String> command, Path pidFile) {
    List<String> c = new ArrayList<>(List.of("bash", "-c", SCRIPT, "coop-sweep-run", pidFile.toString()));
    c.addAll(command);
    return c;
  }
}
