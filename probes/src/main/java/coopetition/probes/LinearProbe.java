package coopetition.probes;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * A multinomial logistic regression (Tribuo's linear SGD with log loss and AdaGrad) from activations to a
 * label, trained on a random {@link #TRAIN_FRACTION} of the examples and scored on the rest with Tribuo's
 * {@link LabelEvaluator}. Features are standardised with the training part's mean and deviation, so one
 * learning rate suits every layer and checkpoint.
 */
public final class LinearProbe {
  public static final double TRAIN_FRACTION = 0.7;
  static final int EPOCHS = 10;
  /** Tribuo logs progress every 1000 SGD steps at INFO; quiet it (held here so the setting is not collected). */
  private static final java.util.logging.Logger TRIBUO_LOG = quiet();

  private static java.util.logging.Logger quiet() {
    java.util.logging.Logger l = java.util.logging.Logger.getLogger("org.tribuo");
    l.setLevel(java.util.logging.Level.WARNING);
    return l;
  }

  private LinearProbe() {}

  /**
   * One fitted probe.
   *
   * @param accuracy held-out accuracy (Tribuo's evaluation)
   * @param chance held-out accuracy of always answering the training part's most common label
   * @param trainSize training examples
   * @param testSize held-out examples
   * @param provenance Tribuo's ModelProvenance of the probe, as a map (trainer, its settings, data, versions)
   */
  public record Result(double accuracy, double chance, int trainSize, int testSize, Map<String, Object> provenance) {}

  /**
   * Fits {@code x -> y} and scores it on held-out examples.
   *
   * @param x one activation vector per example
   * @param y one label per example
   * @param name what is probed (recorded in the data provenance)
   * @param seed the split's and the trainer's seed
   */
  public static Result fit(float[][] x, String[] y, String name, long seed) {
    if (x.length != y.length || x.length < 4) {
      throw new IllegalArgumentException(x.length + " activations for " + y.length + " labels; need at least 4 of each");
    }
    int n = x.length;
    int[] order = permutation(n, seed);
    int nTrain = (int) Math.round(n * TRAIN_FRACTION);
    int d = x[0].length;
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (int k = 0; k < nTrain; k++) {
      for (int j = 0; j < d; j++) {
        mean[j] += x[order[k]][j] / (double) nTrain;
      }
    }
    for (int k = 0; k < nTrain; k++) {
      for (int j = 0; j < d; j++) {
        double c = x[order[k]][j] - mean[j];
        sd[j] += c * c / nTrain;
      }
    }
    for (int j = 0; j < d; j++) {
      sd[j] = Math.sqrt(sd[j]) + 1e-6;
    }
    String[] names = new String[d];
    for (int j = 0; j < d; j++) {
      names[j] = String.format("r%03d", j);
    }
    LabelFactory factory = new LabelFactory();
    MutableDataset<Label> train = new MutableDataset<>(new SimpleDataSourceProvenance(name + " (train part)", factory), factory);
    MutableDataset<Label> test = new MutableDataset<>(new SimpleDataSourceProvenance(name + " (held out)", factory), factory);
    Map<String, Integer> counts = new HashMap<>();
    for (int k = 0; k < n; k++) {
      int i = order[k];
      double[] v = new double[d];
      for (int j = 0; j < d; j++) {
        v[j] = (x[i][j] - mean[j]) / sd[j];
      }
      ArrayExample<Label> ex = new ArrayExample<>(new Label(y[i]), names, v);
      if (k < nTrain) {
        train.add(ex);
        counts.merge(y[i], 1, Integer::sum);
      } else {
        test.add(ex);
      }
    }
    String majority = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    long hits = 0;
    for (int k = nTrain; k < n; k++) {
      hits += y[order[k]].equals(majority) ? 1 : 0;
    }
    LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), EPOCHS, seed);
    Model<Label> model = trainer.train(train);
    LabelEvaluation eval = new LabelEvaluator().evaluate(model, test);
    return new Result(eval.accuracy(), hits / (double) (n - nTrain), nTrain, n - nTrain,
        ProvenanceUtil.convertToMap(model.getProvenance()));
  }

  /** The same labels in a seeded random order: a probe on them should be at chance. */
  public static String[] shuffled(String[] y, long seed) {
    int[] p = permutation(y.length, seed);
    String[] out = new String[y.length];
    for (int i = 0; i < y.length; i++) {
      out[i] = y[p[i]];
    }
    return out;
  }

  static int[] permutation(int n, long seed) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      idx.add(i);
    }
    java.util.Collections.shuffle(idx, new java.util.Random(new SplittableRandom(seed).nextLong()));
    return idx.stream().mapToInt(Integer::intValue).toArray();
  }
}
