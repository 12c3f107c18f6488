package coopetition.app.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import coopetition.transformer.sweep.RunState;
import coopetition.transformer.sweep.SweepManifest;
import coopetition.transformer.sweep.SweepRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./coop sweep status DIR}: pending, running, done, interrupted or failed per run, from the run
 * directories, live local runs and (for a SLURM sweep) squeue.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show each run of a sweep: pending (not started or queued), running, done, interrupted (has a"
        + " checkpoint; re-run the sweep to resume it) or failed (ended before its last eval; see its train.log).")
public final class SweepStatusCommand implements Runnable {

  @Parameters(paramLabel = "DIR", description = "the --out of ./coop sweep")
  Path dir;

  @Override
  public void run() {
    SweepManifest m = SweepManifest.read(dir);
    print(m, states(m));
  }

  /** Each run's state as a person needs it, by run id. */
  static Map<String, String> states(SweepManifest m) {
    Map<Integer, String> queue = new HashMap<>();
    Set<Integer> submitted = new HashSet<>();
    JsonNode subs = m.executor().get("submissions");
    if (subs != null) {
      for (JsonNode s : subs) {
        s.get("runs").forEach(i -> submitted.add(i.asInt()));
        SlurmQueue.tasks(s.get("job_id").asText()).ifPresent(queue::putAll);
      }
    }
    Map<String, String> recorded = new HashMap<>();
    Path file = m.dir().resolve(SweepManifest.FILE);
    if (Files.isRegularFile(file)) {
      for (JsonNode r : coopetition.common.Json.read(file).path("runs")) {
        recorded.put(r.path("id").asText(), r.path("state").asText());
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (SweepRun r : m.runs()) {
      RunState st = m.state(r);
      String q = queue.get(r.index());
      String s;
      if (st.phase() == RunState.Phase.DONE) {
        s = "done";
      } else if (q != null) {
        s = SlurmQueue.pending(q) ? "pending" : "running";
      } else if (LocalExecutor.liveRun(m.runDir(r)).isPresent()) {
        s = "running";
      } else if (submitted.contains(r.index()) || "failed".equals(recorded.get(r.id()))) {
        s = "failed";
      } else {
        s = st.phase() == RunState.Phase.INTERRUPTED ? "interrupted" : "pending";
      }
      out.put(r.id(), s);
    }
    return out;
  }

  static void print(SweepManifest m, Map<String, String> given) {
    Map<String, String> states = given.isEmpty() ? states(m) : given;
    int w = 8;
    for (SweepRun r : m.runs()) {
      w = Math.max(w, r.id().length());
    }
    System.out.printf("%-5s %-" + w + "s %-12s %21s  %s%n", "index", "run", "state", "seqs", "grid point, seed set");
    Map<String, Integer> counts = new TreeMap<>();
    for (SweepRun r : m.runs()) {
      String s = states.getOrDefault(r.id(), "?");
      counts.merge(s, 1, Integer::sum);
      RunState st = m.state(r);
      System.out.printf("%-5d %-" + w + "s %-12s %21s  %s, %s%n", r.index(), r.id(), s,
          String.format("%,d/%,d", Math.max(0, st.seqs()), r.finalSeqs()), r.pointLabel(m.spec().axes()), r.seedSet().label());
    }
    StringBuilder sb = new StringBuilder();
    counts.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(v).append(' ').append(k));
    System.out.println(m.runs().size() + " runs: " + sb);
  }
}
