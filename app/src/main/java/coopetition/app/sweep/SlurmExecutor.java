package coopetition.app.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coopetition.common.AtomicFiles;
import coopetition.common.Provenance;
import coopetition.common.UserInputException;
import coopetition.transformer.sweep.RunState;
import coopetition.transformer.sweep.SweepManifest;
import coopetition.transformer.sweep.SweepRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * Runs a sweep as one SLURM array job: one task per unfinished run, task id = the run's index in
 * sweep.json. Each task is requeue-safe: it exits at once when its run is done, resumes from the
 * checkpoint when there is one, else starts the run. SIGTERM arrives {@code signalLeadSeconds} before the
 * time limit (and on preemption), the run checkpoints, and {@code --requeue} lets SLURM start it again.
 */
final class SlurmExecutor {
  private final SweepManifest manifest;
  private final TrainLauncher launcher;
  private final SlurmOptions options;
  private final SweepLog log;

  SlurmExecutor(SweepManifest manifest, TrainLauncher launcher, SlurmOptions options) {
    this.manifest = manifest;
    this.launcher = launcher;
    this.options = options;
    this.log = new SweepLog(manifest.dir());
  }

  static void requireSbatch() {
    UserInputException.require(Executables.onPath("sbatch"), "--executor slurm: sbatch is not on PATH; run on a SLURM"
        + " login node (or start scripts/slurm/start-test-cluster.sh), or use --executor local");
  }

  /** Writes the array script for every run neither done nor queued, submits it unless {@code submit} is false. */
  Path submit(boolean submit) {
    List<SweepRun> todo = new ArrayList<>();
    Map<Integer, String> queued = queuedTasks();
    for (SweepRun r : manifest.runs()) {
      if (manifest.state(r).phase() != RunState.Phase.DONE && !queued.containsKey(r.index())) {
        todo.add(r);
      }
    }
    ArrayNode subs = submissions();
    if (todo.isEmpty()) {
      System.out.println("nothing to submit: every run is done or queued (./coop sweep status " + manifest.dir() + ")");
      return null;
    }
    Path dir = manifest.dir().toAbsolutePath();
    Path script = dir.resolve("slurm").resolve("sweep-" + subs.size() + ".sbatch");
    try {
      Files.createDirectories(script.getParent());
      AtomicFiles.writeString(script, script(todo, dir));
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    manifest.executor().put("kind", "slurm");
    if (!submit) {
      manifest.write(Map.of());
      System.out.println("wrote " + script + " (not submitted; submit it with: sbatch " + script + ")");
      return script;
    }
    String jobId = sbatch(script);
    ObjectNode s = subs.addObject();
    s.put("job_id", jobId);
    s.put("script", dir.relativize(script).toString());
    ArrayNode idx = s.putArray("runs");
    todo.forEach(r -> idx.add(r.index()));
    manifest.write(Map.of());
    log.line("submitted " + todo.size() + " runs as array job " + jobId + " (" + script + ")");
    System.out.println("submitted array job " + jobId + " with " + todo.size() + " tasks; follow it with ./coop sweep status "
        + manifest.dir());
    return script;
  }

  ArrayNode submissions() {
    ObjectNode ex = manifest.executor();
    return ex.has("submissions") ? (ArrayNode) ex.get("submissions") : ex.putArray("submissions");
  }

  /** Run index to queue state, over every job this sweep submitted. */
  Map<Integer, String> queuedTasks() {
    Map<Integer, String> out = new HashMap<>();
    for (var s : submissions()) {
      SlurmQueue.tasks(s.get("job_id").asText()).ifPresent(out::putAll);
    }
    return out;
  }

  String script(List<SweepRun> runs, Path dir) {
    StringJoiner array = new StringJoiner(",");
    runs.forEach(r -> array.add(Integer.toString(r.index())));
    StringBuilder sb = new StringBuilder("#!/bin/bash\n");
    sb.append("#SBATCH --job-name=coop-sweep-").append(dir.getFileName()).append('\n');
    sb.append("#SBATCH --array=").append(array).append('\n');
    sb.append("#SBATCH --cpus-per-task=").append(options.cpusPerTask()).append('\n');
    sb.append("#SBATCH --time=").append(options.time()).append('\n');
    if (!options.mem().isBlank()) {
      sb.append("#SBATCH --mem=").append(options.mem()).append('\n');
    }
    if (!options.partition().isBlank()) {
      sb.append("#SBATCH --partition=").append(options.partition()).append('\n');
    }
    sb.append("#SBATCH --signal=B:TERM@").append(options.signalLeadSeconds()).append('\n');
    sb.append("#SBATCH --requeue\n#SBATCH --open-mode=append\n");
    sb.append("#SBATCH --output=").append(dir.resolve("slurm")).append("/%A_%a.out\n");
    options.extraLines().forEach(l -> sb.append("#SBATCH ").append(l).append('\n'));
    sb.append("""
        # Written by ./coop sweep --executor slurm for the sweep in %s (sweep.json).
        # One task = one run (task id = the run's index in sweep.json). Requeue-safe: a done run exits at once,
        # a run with a checkpoint resumes, else the run starts. SIGTERM (time limit, preemption,
        # scancel --batch --signal=TERM) makes the run checkpoint; SLURM can then requeue the task.
        set -euo pipefail
        export %s=1   # never build on a compute node
        threads="${SLURM_CPUS_PER_TASK:-1}"
        case "${SLURM_ARRAY_TASK_ID:?this script is a SLURM array job; submit it with sbatch}" in
        """.formatted(dir, TrainLauncher.NO_BUILD_ENV));
    for (SweepRun r : runs) {
      Path run = dir.resolve(SweepManifest.RUNS).resolve(r.id());
      sb.append("  ").append(r.index()).append(")\n");
      sb.append("    run=").append(quote(run.toString())).append("; final=").append(r.finalSeqs()).append('\n');
      sb.append("    fresh=(").append(words(launcher.fresh(r, "$threads", run))).append(")\n");
      sb.append("    resume=(").append(words(launcher.resume(run, "$threads"))).append(") ;;\n");
    }
    sb.append("""
          *) echo "task $SLURM_ARRAY_TASK_ID: no such run in this sweep" >&2; exit 2 ;;
        esac
        mkdir -p "$run"
        last="$(tail -n 1 "$run/metrics.csv" 2>/dev/null | cut -d, -f1 || true)"
        if [[ "$last" =~ ^[0-9]+$ ]] && (( last >= final )); then echo "$run: done"; exit 0; fi
        echo "task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} (restart ${SLURM_RESTART_COUNT:-0}) on $(hostname), $threads threads: $run"
        if [[ -f "$run/checkpoint.bin" ]]; then
          echo "$(date '+%F %T') task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}: resume" >>"$run/train.log"
          exec "${resume[@]}" >>"$run/train.log" 2>&1
        fi
        echo "$(date '+%F %T') task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}: start" >>"$run/train.log"
        exec "${fresh[@]}" >>"$run/train.log" 2>&1
        """);
    return sb.toString();
  }

  private static String words(List<String> cmd) {
    StringJoiner j = new StringJoiner(" ");
    cmd.forEach(w -> j.add(quote(w)));
    return j.toString();
  }

  /** Single quotes, except the one word that must expand the task's thread count. */
  static String quote(String w) {
    if (w.equals("threads=$threads")) {
      return "\"threads=$threads\"";
    }
    return "'" + w.replace("'", "'\\''") + "'";
  }

  /**
   * sbatch hands its environment to the tasks; each task's bin/coop chooses MKL's kernels for its own node,
   * where this machine's preloaded shim (bin/coop, docs/PERFORMANCE.md) may not exist.
   */
  static void withoutThisMachinesMklChoice(Map<String, String> env) {
    env.remove(Provenance.MKL_KERNELS_ENV);
    String preload = env.get("LD_PRELOAD");
    if (preload != null) {
      StringJoiner kept = new StringJoiner(":");
      for (String lib : preload.split(":")) {
        if (!lib.isEmpty() && !Path.of(lib).getFileName().toString().startsWith("mkl_intel_cpu-")) {
          kept.add(lib);
        }
      }
      if (kept.length() == 0) {
        env.remove("LD_PRELOAD");
      } else {
        env.put("LD_PRELOAD", kept.toString());
      }
    }
  }

  private static String sbatch(Path script) {
    try {
      ProcessBuilder pb = new ProcessBuilder(List.of("sbatch", "--parsable", script.toString()));
      withoutThisMachinesMklChoice(pb.environment());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(60, TimeUnit.SECONDS);
      UserInputException.require(p.exitValue() == 0 && !out.isEmpty(), "sbatch refused " + script + ": "
          + (err.isEmpty() ? "exit " + p.exitValue() : err.lines().findFirst().orElse(err))
          + "; fix the #SBATCH options (--partition, --time, --mem, --sbatch) and run again");
      return out.split(";")[0];
    } catch (IOException e) {
      throw new UserInputException("cannot run sbatch (" + e.getMessage() + "); use --executor local");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
