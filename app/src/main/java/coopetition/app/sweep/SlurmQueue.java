package coopetition.app.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** What squeue says about the tasks of a sweep's array jobs; empty when there is no squeue here. */
final class SlurmQueue {
  private SlurmQueue() {}

  /** Array task id to SLURM state (PENDING, RUNNING, ...) of the tasks of {@code jobId} still known to squeue. */
  static Optional<Map<Integer, String>> tasks(String jobId) {
    if (!Executables.onPath("squeue")) {
      return Optional.empty();
    }
    Map<Integer, String> out = new HashMap<>();
    try {
      Process p = new ProcessBuilder(List.of("squeue", "-h", "-r", "-j", jobId, "-o", "%i|%T"))
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.of(out); // a job slurmctld no longer knows: none of its tasks is queued
      }
      for (String line : text.split("\n")) {
        String[] parts = line.trim().split("\\|");
        int us = parts[0].indexOf('_');
        if (parts.length == 2 && us > 0 && parts[0].substring(0, us).equals(jobId)) {
          try {
            out.put(Integer.parseInt(parts[0].substring(us + 1)), parts[1]);
          } catch (NumberFormatException e) {
            // an unexpanded range like 12_[0-3]; -r prevents it
          }
        }
      }
      return Optional.of(out);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** A queue state the task has not yet begun in. */
  static boolean pending(String state) {
    return state.equals("PENDING") || state.equals("REQUEUED") || state.equals("REQUEUE_HOLD") || state.equals("REQUEUE_FED")
        || state.equals("SUSPENDED") || state.equals("RESV_DEL_HOLD");
  }
}
