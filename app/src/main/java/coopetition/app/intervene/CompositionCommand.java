package coopetition.app.intervene;

import coopetition.app.FigureFormats;
import coopetition.app.mech.MechOptions;
import coopetition.common.AtomicFiles;
import coopetition.figures.FigureWriter;
import coopetition.figures.Heatmap;
import coopetition.figures.Palette;
import coopetition.figures.Panel;
import coopetition.figures.Series;
import coopetition.transformer.intervene.Composition;
import coopetition.transformer.mech.Network;
import coopetition.transformer.mech.StoredRun;
import coopetition.transformer.model.ModelConfig;
import coopetition.transformer.train.CheckpointHistory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./coop composition}: Q-, K- and V-composition of Layer-2 heads with Layer-1 heads over training. */
@Command(name = "composition", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Composition scores (Elhage et al. 2021) between every head of one layer and every head of the next,"
        + " per stored checkpoint: ||W_A W_OV|| / (||W_A|| ||W_OV||) with W_A the receiver's W_QK^T (Q), W_QK (K) or W_OV (V)."
        + " Writes OUT/composition.csv (layers and heads from 1), the heatmap composition (last checkpoint) and the"
        + " curves composition_over_training.")
public final class CompositionCommand implements Runnable {
  @Mixin
  MechOptions options = new MechOptions();

  @Mixin
  FigureFormats formats = new FigureFormats();

  @Option(names = "--checkpoints", defaultValue = "all", paramLabel = "all|final|SEQS,...",
      description = "which checkpoints (default: ${DEFAULT-VALUE})")
  String checkpoints;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
  Path out;

  /** A score at one checkpoint. */
  record Row(long seqs, Composition.Score score) {}

  @Override
  public void run() {
    StoredRun r = options.open();
    ModelConfig model = r.model();
    coopetition.common.UserInputException.require(model.depth() >= 2, "composition needs at least 2 layers; this run has "
        + model.depth());
    List<CheckpointHistory.Entry> chosen = r.select(checkpoints, "checkpoints");
    List<Row> rows = new ArrayList<>();
    try (Network net = new Network(model)) {
      for (CheckpointHistory.Entry e : chosen) {
        net.load(StoredRun.weights(e), e.file().toString());
        for (int l = 0; l + 1 < model.depth(); l++) {
          for (Composition.Score s : Composition.scores(net.parameters(), l, l + 1)) {
            rows.add(new Row(e.seqs(), s));
          }
        }
      }
    }
    Path dir = AtomicFiles.prepareDirectory(out);
    Map<Composition.Kind, Double> baseline = new EnumMap<>(Composition.Kind.class);
    for (Composition.Kind k : Composition.Kind.values()) {
      baseline.put(k, Composition.randomBaseline(model, k, BASELINE_DRAWS, 1));
    }
    StringBuilder sb = new StringBuilder(
        "seqs,kind,sender_layer,sender_head,receiver_layer,receiver_head,score,random_baseline,excess\n");
    for (Row w : rows) {
      Composition.Score s = w.score();
      double b = baseline.get(s.kind());
      sb.append(w.seqs()).append(',').append(s.kind()).append(',').append(s.sender().layer() + 1).append(',')
          .append(s.sender().head() + 1).append(',').append(s.receiver().layer() + 1).append(',')
          .append(s.receiver().head() + 1).append(',')
          .append(String.format(Locale.ROOT, "%.5f,%.5f,%.5f", s.score(), b, s.score() - b)).append('\n');
    }
    AtomicFiles.writeString(dir.resolve("composition.csv"), sb.toString());
    long last = chosen.get(chosen.size() - 1).seqs();
    List<Path> figs = new ArrayList<>(heatmaps(rows, last, model.numHeads(), dir.resolve("composition"), formats));
    figs.addAll(curves(rows, baseline, dir.resolve("composition_over_training"), formats));
    baseline.forEach((k, b) -> System.out.printf(Locale.ROOT, "%s-composition random baseline %.4f%n", k, b));
    System.out.println("wrote " + dir.resolve("composition.csv") + " (" + rows.size() + " scores)");
    figs.forEach(f -> System.out.println("wrote " + f));
  }

  /** One heatmap per kind at {@code seqs}: Layer-1 head (x) by Layer-2 head (y), layers 1 and 2 only. */
  static List<Path> heatmaps(List<Row> rows, long seqs, int heads, Path base, FigureFormats formats) {
    List<Heatmap> maps = new ArrayList<>();
    double max = rows.stream().filter(w -> w.seqs() == seqs).mapToDouble(w -> w.score().score()).max().orElse(1);
    double[] idx = new double[heads];
    for (int h = 0; h < heads; h++) {
      idx[h] = h + 1;
    }
    for (Composition.Kind k : Composition.Kind.values()) {
      double[][] v = new double[heads][heads];
      for (Row w : rows) {
        Composition.Score s = w.score();
        if (w.seqs() == seqs && s.kind() == k && s.sender().layer() == 0) {
          v[s.sender().head()][s.receiver().head()] = s.score();
        }
      }
      maps.add(new Heatmap(k + "-composition at " + seqs + " seqs", "Layer-1 head (sender)", "Layer-2 head (receiver)",
          "score", idx, idx, v, 0, max));
    }
    return FigureWriter.writeHeatmaps(maps, base, formats.get());
  }

  /** Draws of random circuits for the baseline (its spread over seeds is about 1% at 64). */
  static final int BASELINE_DRAWS = 64;

  /** Per kind, the largest and the mean score over head pairs (Layer 1 to 2), over training, and the random baseline. */
  static List<Path> curves(List<Row> rows, Map<Composition.Kind, Double> baseline, Path base,
      FigureFormats formats) {
    Panel.Builder p = Panel.builder("Composition of Layer-2 heads with Layer-1 heads over training")
        .axes("sequences seen", "composition score").legend(Panel.Legend.OUTSIDE);
    double[] seqs = rows.stream().mapToLong(Row::seqs).distinct().sorted().asDoubleStream().toArray();
    int c = 0;
    for (Composition.Kind k : Composition.Kind.values()) {
      double[] mx = new double[seqs.length];
      double[] mean = new double[seqs.length];
      for (int i = 0; i < seqs.length; i++) {
        long s = (long) seqs[i];
        var st = rows.stream().filter(w -> w.seqs() == s && w.score().kind() == k && w.score().sender().layer() == 0)
            .mapToDouble(w -> w.score().score()).summaryStatistics();
        mx[i] = st.getMax();
        mean[i] = st.getAverage();
      }
      p.add(new Series(k + " max", seqs, mx, Palette.categorical(c), Series.Style.LINE, 0));
      p.add(new Series(k + " mean", seqs, mean, Palette.categorical(c++), Series.Style.DASHED, 0));
    }
    // Q, K and V circuits are all products of two rank-(head dim) factors, so one baseline line serves all three.
    double[] flat = new double[seqs.length];
    Arrays.fill(flat, baseline.values().stream().mapToDouble(Double::doubleValue).average().orElse(0));
    p.add(new Series("random baseline", seqs, flat, Palette.CHANCE, Series.Style.LINE, 0));
    return FigureWriter.write(p.build(), base, formats.get());
  }
}
