package coopetition.probes;

import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.eval.EvalSuite;
import coopetition.transformer.eval.Evaluator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What a probe predicts from the query token's residual stream, and the sequences it is trained on (built
 * from the run's own eval sequences, so every checkpoint sees the same ones).
 */
public enum ProbeTask {
  /**
   * (a) Which context pair holds the query's class (the ICL signal). Train and Flip sequences with exactly one
   * context exemplar of the query's class; chance 1/L.
   */
  CONTEXT_POSITION,
  /**
   * (b) Whether the query's label is in context: CIWL sequences (it is, on another class's exemplar) against
   * pure-IWL ones (it is not); the query's class is in neither context.
   */
  LABEL_PRESENT,
  /**
   * (c) The query's class among {@link #SUBSET} classes (the in-weights signal): pure-IWL contexts whose query
   * is replaced by a random exemplar of one of the first {@link #SUBSET} query classes of that set.
   */
  QUERY_CLASS;

  /** Classes in {@link #QUERY_CLASS}'s subset. */
  public static final int SUBSET = 8;

  /**
   * Sequences and their labels.
   *
   * @param data the sequences
   * @param labels one label per sequence, as text
   */
  public record Labelled(SequenceBatch data, String[] labels) {}

  public String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ProbeTask parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw coopetition.common.UserInputException.forField("tasks", "'" + text
          + "' is not a probe task; use context_position, label_present, query_class");
    }
  }

  public Labelled build(EvalSuite suite, FeatureBank bank) {
    return switch (this) {
      case CONTEXT_POSITION -> contextPosition(suite);
      case LABEL_PRESENT -> labelPresent(suite);
      case QUERY_CLASS -> queryClass(suite.get(Evaluator.IWL).data(), bank);
    };
  }

  private static Labelled contextPosition(EvalSuite suite) {
    List<int[]> picks = new ArrayList<>(); // {set, sequence, position}
    List<SequenceBatch> sets = List.of(suite.get(Evaluator.TRAIN).data(), suite.get(Evaluator.FLIP).data());
    for (int s = 0; s < sets.size(); s++) {
      SequenceBatch b = sets.get(s);
      for (int i = 0; i < b.size(); i++) {
        int pos = -1;
        int found = 0;
        for (int p = 0; p < b.contextLength(); p++) {
          if (b.classAt(i, p) == b.queryClass(i)) {
            pos = p;
            found++;
          }
        }
        if (found == 1) {
          picks.add(new int[] {s, i, pos});
        }
      }
    }
    String[] labels = new String[picks.size()];
    SequenceBatch joined = join(sets, picks);
    for (int k = 0; k < picks.size(); k++) {
      labels[k] = "pair" + (picks.get(k)[2] + 1);
    }
    return new Labelled(joined, labels);
  }

  private static Labelled labelPresent(EvalSuite suite) {
    List<SequenceBatch> sets = List.of(suite.get(Evaluator.CIWL).data(), suite.get(Evaluator.IWL).data());
    List<int[]> picks = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (int s = 0; s < sets.size(); s++) {
      SequenceBatch b = sets.get(s);
      for (int i = 0; i < b.size(); i++) {
        picks.add(new int[] {s, i, 0});
        labels.add(b.contextHasLabel(i, b.target(i)) ? "present" : "absent");
      }
    }
    return new Labelled(join(sets, picks), labels.toArray(String[]::new));
  }

  private static Labelled queryClass(SequenceBatch iwl, FeatureBank bank) {
    Set<Integer> subset = new LinkedHashSet<>();
    for (int i = 0; i < iwl.size() && subset.size() < SUBSET; i++) {
      subset.add(iwl.queryClass(i));
    }
    int[] classes = subset.stream().mapToInt(Integer::intValue).toArray();
    SplittableRandom rng = new SplittableRandom(11);
    float[] examples = iwl.examples().clone();
    int[] labels = iwl.labels().clone();
    int[] cls = iwl.classes().clone();
    int[] exemplars = iwl.exemplars().clone();
    String[] out = new String[iwl.size()];
    int q = iwl.pairs() - 1;
    for (int i = 0; i < iwl.size(); i++) {
      int c = classes[rng.nextInt(classes.length)];
      int ex = rng.nextInt(bank.numExemplars());
      bank.copyExemplar(c, ex, examples, iwl.exampleOffset(i, q));
      int at = i * iwl.pairs() + q;
      labels[at] = c; // never shown to the model (the query's label is not a token)
      cls[at] = c;
      exemplars[at] = ex;
      out[i] = "class" + c;
    }
    return new Labelled(new SequenceBatch(iwl.size(), iwl.pairs(), iwl.dim(), examples, labels, cls, exemplars,
        iwl.itemTypes()), out);
  }

  /** The picked sequences ({set, sequence, _}) of several batches of one shape, as one batch. */
  private static SequenceBatch join(List<SequenceBatch> sets, List<int[]> picks) {
    SequenceBatch first = sets.get(0);
    int pairs = first.pairs();
    int dim = first.dim();
    int n = picks.size();
    float[] x = new float[n * pairs * dim];
    int[] labels = new int[n * pairs];
    int[] cls = new int[n * pairs];
    int[] ex = new int[n * pairs];
    int[] types = new int[n * pairs];
    for (int k = 0; k < n; k++) {
      SequenceBatch b = sets.get(picks.get(k)[0]);
      int i = picks.get(k)[1];
      System.arraycopy(b.examples(), i * pairs * dim, x, k * pairs * dim, pairs * dim);
      System.arraycopy(b.labels(), i * pairs, labels, k * pairs, pairs);
      System.arraycopy(b.classes(), i * pairs, cls, k * pairs, pairs);
      System.arraycopy(b.exemplars(), i * pairs, ex, k * pairs, pairs);
      System.arraycopy(b.itemTypes(), i * pairs, types, k * pairs, pairs);
    }
    return new SequenceBatch(n, pairs, dim, x, labels, cls, ex, types);
  }
}
