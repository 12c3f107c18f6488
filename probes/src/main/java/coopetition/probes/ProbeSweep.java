package coopetition.probes;

import coopetition.common.AtomicFiles;
import coopetition.common.Json;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.mech.Network;
import coopetition.transformer.mech.StoredRun;
import coopetition.transformer.train.CheckpointHistory;
import coopetition.transformer.train.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Probes for every task, layer and chosen checkpoint of a run; the tables they are written to. */
public final class ProbeSweep {
  private ProbeSweep() {}

  /**
   * One probe.
   *
   * @param seqs the checkpoint (sequences seen)
   * @param task what it predicts
   * @param layer 0 = embeddings, l = after block l
   * @param result its held-out accuracy, chance and Tribuo provenance
   */
  public record Row(long seqs, ProbeTask task, int layer, LinearProbe.Result result) {}

  public static List<Row> run(StoredRun run, List<CheckpointHistory.Entry> checkpoints, List<ProbeTask> tasks, long seed,
      Runnable tick) {
    FeatureBank bank = TrainingRun.openBank(run.config());
    Map<ProbeTask, ProbeTask.Labelled> data = new LinkedHashMap<>();
    for (ProbeTask t : tasks) {
      data.put(t, t.build(run.suite(), bank));
    }
    List<Row> out = new ArrayList<>();
    try (Network net = run.network()) {
      for (CheckpointHistory.Entry e : checkpoints) {
        net.load(StoredRun.weights(e), e.file().toString());
        for (Map.Entry<ProbeTask, ProbeTask.Labelled> t : data.entrySet()) {
          float[][][] acts = ResidualStream.atQuery(net, t.getValue().data());
          for (int l = 0; l < acts.length; l++) {
            String name = t.getKey().column() + ", layer " + l + ", " + e.seqs() + " seqs";
            out.add(new Row(e.seqs(), t.getKey(), l, LinearProbe.fit(acts[l], t.getValue().labels(), name, seed)));
          }
        }
        tick.run();
      }
    }
    return out;
  }

  public static final String HEADER = "seqs,task,layer,accuracy,chance,train_size,test_size";

  /** probes.csv: one row per probe (atomic write). */
  public static void writeTable(Path file, List<Row> rows) {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Row r : rows) {
      sb.append(r.seqs()).append(',').append(r.task().column()).append(',').append(r.layer()).append(',')
          .append(String.format(Locale.ROOT, "%.4f,%.4f", r.result().accuracy(), r.result().chance())).append(',')
          .append(r.result().trainSize()).append(',').append(r.result().testSize()).append('\n');
    }
    AtomicFiles.writeString(file, sb.toString());
  }

  /** Tribuo's provenance of every probe, one JSON object per line keyed by checkpoint, task and layer. */
  public static void writeProvenance(Path file, List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("seqs", r.seqs());
      m.put("task", r.task().column());
      m.put("layer", r.layer());
      m.put("tribuo_model_provenance", r.result().provenance());
      sb.append(Json.toJson(m).replace("\n", " ")).append('\n');
    }
    AtomicFiles.writeString(file, sb.toString());
  }
}
