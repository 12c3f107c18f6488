package coopetition.app.sweep;

import coopetition.common.UserInputException;
import java.util.List;

/**
 * The #SBATCH settings of a sweep's array job.
 *
 * @param cpusPerTask CPUs per run; the run's libtorch threads follow SLURM_CPUS_PER_TASK
 * @param time wall-clock limit per task, SLURM syntax (e.g. 24:00:00)
 * @param mem memory per task (e.g. 8G); empty = the partition's default
 * @param partition partition; empty = the cluster's default
 * @param signalLeadSeconds SIGTERM this long before the time limit, so the run checkpoints
 * @param extraLines further #SBATCH lines, e.g. {@code --account=abc} or {@code --qos=low}
 */
record SlurmOptions(int cpusPerTask, String time, String mem, String partition, int signalLeadSeconds,
    List<String> extraLines) {

  SlurmOptions {
    UserInputException.requireField(cpusPerTask >= 1, "cpus_per_task", "must be at least 1, got " + cpusPerTask);
    UserInputException.requireField(signalLeadSeconds >= 10 && signalLeadSeconds <= 65535, "signal_lead",
        "must be 10..65535 seconds, got " + signalLeadSeconds);
    UserInputException.requireField(time.matches("[0-9:-]+") , "time", "'" + time + "' is not a SLURM time like 24:00:00 or 2-00:00:00");
    extraLines = List.copyOf(extraLines);
    for (String l : extraLines) {
      UserInputException.requireField(l.startsWith("--") && !l.contains("\n"), "sbatch",
          "'" + l + "' is not one sbatch option; give e.g. --sbatch=--account=abc");
    }
  }
}
