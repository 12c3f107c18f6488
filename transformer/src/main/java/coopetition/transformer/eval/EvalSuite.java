package coopetition.transformer.eval;

import coopetition.common.AtomicFiles;
import coopetition.common.UserInputException;
import coopetition.transformer.data.FeatureBank;
import coopetition.transformer.data.Rng;
import coopetition.transformer.data.SequenceBatch;
import coopetition.transformer.data.SequenceSampler;
import coopetition.transformer.data.Splits;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The eval sequences of a run, drawn ONCE from the eval seed (as the authors build {@code default_eval}
 * once and load it in every run), so every evaluation of every checkpoint sees identical sequences.
 *
 * <p>Stored with the run as a small gzip'd binary file of indices (classes, exemplars, labels, item types
 * per evaluator, plus the spec and a bank fingerprint); features are re-gathered from the bank on load.
 * Loading checks that the file matches the bank and spec, so a resumed run cannot silently evaluate on
 * different data.
 */
public final class EvalSuite {
  private static final byte[] MAGIC = {'C', 'O', 'O', 'P', 'E', 'V', 'A', 'L'};
  private static final int VERSION = 1;

  /** The paper's ctx-2 eval classes 0..1599 and exemplars 0..4 (PAPER-SETUP §2.2). */
  public static final int PAPER_EVAL_CLASSES = 1600;
  public static final int PAPER_EVAL_EXEMPLARS = 5;
  /** Sequences per evaluator in default_eval (ctx 2); ctx8_eval uses {@link #PAPER_SEQUENCES_CTX8}. */
  public static final int PAPER_SEQUENCES = 5000;
  public static final int PAPER_SEQUENCES_CTX8 = 1000;
  public static final long PAPER_EVAL_SEED = 1;

  /**
   * What to draw.
   *
   * @param evalSeed every sequence is a function of this (per evaluator: {@code mix(evalSeed, ordinal)})
   * @param evaluators which evaluators, in metrics.csv column order
   * @param sequencesPerEvaluator the authors use 5000 (ctx 2) and 1000 (ctx 8)
   * @param classes class ids the eval sequences draw from (uniformly)
   * @param exemplars exemplar indices they draw from
   * @param contextLength the training context length
   * @param trainBurstiness the training burstiness (the TRAIN evaluator's B)
   */
  public record Spec(long evalSeed, List<Evaluator> evaluators, int sequencesPerEvaluator, int[] classes,
      int[] exemplars, int contextLength, int trainBurstiness) {
    public Spec {
      UserInputException.require(evaluators != null && !evaluators.isEmpty(), "no evaluators given; name at least one");
      UserInputException.require(evaluators.stream().distinct().count() == evaluators.size(), "evaluator listed twice in " + evaluators);
      UserInputException.require(sequencesPerEvaluator >= 1, "eval sequences per evaluator must be >= 1, got " + sequencesPerEvaluator);
      UserInputException.require(classes != null && classes.length >= 1, "eval class subset is empty");
      UserInputException.require(exemplars != null && exemplars.length >= 1, "eval exemplar subset is empty");
      evaluators = List.copyOf(evaluators);
      classes = classes.clone();
      exemplars = exemplars.clone();
    }

    /**
     * The paper's choices scaled to the data: all five evaluators and eval seed 1. For context 2 (the
     * authors' {@code default_eval}) the classes are {@code 0..min(1600, trainClasses)-1} and the exemplars
     * {@code 0..min(5, trainExemplars)-1} of the train split. For any other context length (the authors'
     * {@code ctx8_eval}, built over the full train split) all train classes and exemplars are used. The
     * authors use 5000 sequences per evaluator at context 2 and 1000 at context 8.
     */
    public static Spec paperDefaults(Splits splits, int sequencesPerEvaluator, int contextLength, int trainBurstiness) {
      int[] trainClasses = splits.classes(Splits.Part.TRAIN);
      int[] trainEx = splits.exemplars(Splits.Part.TRAIN);
      if (contextLength == 2) {
        trainClasses = Arrays.copyOf(trainClasses, Math.min(PAPER_EVAL_CLASSES, trainClasses.length));
        trainEx = Arrays.copyOf(trainEx, Math.min(PAPER_EVAL_EXEMPLARS, trainEx.length));
      }
      return new Spec(PAPER_EVAL_SEED, List.of(Evaluator.values()), sequencesPerEvaluator, trainClasses, trainEx,
          contextLength, trainBurstiness);
    }

    public Spec withSeed(long seed) {
      return new Spec(seed, evaluators, sequencesPerEvaluator, classes, exemplars, contextLength, trainBurstiness);
    }

    @Override
    public int[] classes() {
      return classes.clone();
    }

    @Override
    public int[] exemplars() {
      return exemplars.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Spec s && evalSeed == s.evalSeed && evaluators.equals(s.evaluators)
          && sequencesPerEvaluator == s.sequencesPerEvaluator && Arrays.equals(classes, s.classes)
          && Arrays.equals(exemplars, s.exemplars) && contextLength == s.contextLength && trainBurstiness == s.trainBurstiness;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(evalSeed) * 31 + evaluators.hashCode() * 17 + Arrays.hashCode(classes) + sequencesPerEvaluator;
    }

    @Override
    public String toString() {
      return "Spec[evalSeed=" + evalSeed + ", evaluators=" + evaluators + ", sequences=" + sequencesPerEvaluator
          + ", classes=" + describeRange(classes) + ", exemplars=" + describeRange(exemplars) + ", context=" + contextLength
          + ", trainBurstiness=" + trainBurstiness + "]";
    }
  }

  private final Spec spec;
  private final List<EvalSet> sets;

  private EvalSuite(Spec spec, List<EvalSet> sets) {
    this.spec = spec;
    this.sets = Collections.unmodifiableList(sets);
  }

  /** Draws every evaluator's sequences from the spec's eval seed. */
  public static EvalSuite build(FeatureBank bank, Spec spec) {
    List<EvalSet> sets = new ArrayList<>();
    for (Evaluator e : spec.evaluators()) {
      SequenceSampler sampler = new SequenceSampler(bank, spec.classes, spec.exemplars,
          e.config(spec.contextLength(), spec.trainBurstiness()));
      sets.add(new EvalSet(e, sampler.sample(seedOf(spec.evalSeed(), e), spec.sequencesPerEvaluator())));
    }
    return new EvalSuite(spec, sets);
  }

  /** Loads {@code file} if it exists (checking it against bank and spec), else builds and writes it. */
  public static EvalSuite loadOrBuild(Path file, FeatureBank bank, Spec spec) {
    if (Files.exists(file)) {
      return read(file, bank, spec);
    }
    EvalSuite suite = build(bank, spec);
    suite.write(file, bank);
    return suite;
  }

  /** The seed of one evaluator's sequences: independent of which other evaluators are listed. */
  public static long seedOf(long evalSeed, Evaluator e) {
    return Rng.mix(evalSeed, 0xE7A1_0000L + e.ordinal());
  }

  public Spec spec() {
    return spec;
  }

  public List<EvalSet> sets() {
    return sets;
  }

  public EvalSet get(Evaluator e) {
    for (EvalSet s : sets) {
      if (s.evaluator() == e) {
        return s;
      }
    }
    throw new IllegalArgumentException("evaluator " + e + " is not in this suite " + spec.evaluators());
  }

  /** Writes the indices (not the features) atomically. */
  public void write(Path file, FeatureBank bank) {
    AtomicFiles.write(file, raw -> {
      GZIPOutputStream gz = new GZIPOutputStream(raw, 1 << 16);
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(gz, 1 << 16));
      out.write(MAGIC);
      out.writeInt(VERSION);
      out.writeLong(bank.fingerprint());
      out.writeInt(bank.numClasses());
      out.writeInt(bank.numExemplars());
      out.writeInt(bank.dim());
      out.writeUTF(truncate(bank.describe()));
      out.writeLong(spec.evalSeed());
      out.writeInt(spec.sequencesPerEvaluator());
      out.writeInt(spec.contextLength());
      out.writeInt(spec.trainBurstiness());
      writeInts(out, spec.classes);
      writeInts(out, spec.exemplars);
      out.writeInt(sets.size());
      for (EvalSet s : sets) {
        SequenceBatch b = s.data();
        out.writeUTF(s.evaluator().paperName());
        out.writeInt(b.size());
        out.writeInt(b.pairs());
        writeInts(out, b.classes());
        writeInts(out, b.exemplars());
        writeInts(out, b.labels());
        writeInts(out, b.itemTypes());
      }
      out.flush();
      gz.finish();
    });
  }

  /**
   * Reads a suite written by {@link #write} and re-gathers its features from {@code bank}. Throws a
   * one-line {@link UserInputException} if the file is unreadable or was built for another bank or spec.
   */
  public static EvalSuite read(Path file, FeatureBank bank, Spec expected) {
    String fix = "; delete " + file + " to rebuild it, or rerun with the settings it was built with";
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16))) {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      UserInputException.require(Arrays.equals(magic, MAGIC), "eval set " + file + " is not an eval-set file" + fix);
      int version = in.readInt();
      UserInputException.require(version == VERSION, "eval set " + file + " has format version " + version + ", expected " + VERSION + fix);
      long fingerprint = in.readLong();
      int k = in.readInt();
      int e = in.readInt();
      int d = in.readInt();
      String storedBank = in.readUTF();
      UserInputException.require(k == bank.numClasses() && e == bank.numExemplars() && d == bank.dim()
          && fingerprint == bank.fingerprint(), "eval set " + file + " was built from " + storedBank + ", not from " + bank.describe() + fix);
      long seed = in.readLong();
      int n = in.readInt();
      int ctx = in.readInt();
      int trainB = in.readInt();
      int[] classes = readInts(in, k);
      int[] exemplars = readInts(in, e);
      int count = in.readInt();
      UserInputException.require(count >= 1 && count <= Evaluator.values().length, "eval set " + file + " is corrupt (" + count + " evaluators)" + fix);
      List<Evaluator> evaluators = new ArrayList<>();
      Map<Evaluator, int[][]> arrays = new EnumMap<>(Evaluator.class);
      for (int i = 0; i < count; i++) {
        Evaluator ev = Evaluator.byName(in.readUTF());
        int size = in.readInt();
        int pairs = in.readInt();
        UserInputException.require(size == n && pairs == ctx + 1, "eval set " + file + " is corrupt (evaluator " + ev.paperName() + ")" + fix);
        int len = size * pairs;
        int[] c = readInts(in, len);
        int[] x = readInts(in, len);
        int[] l = readInts(in, len);
        int[] t = readInts(in, len);
        evaluators.add(ev);
        arrays.put(ev, new int[][] {c, x, l, t});
      }
      Spec stored = new Spec(seed, evaluators, n, classes, exemplars, ctx, trainB);
      if (expected != null && !stored.equals(expected)) {
        throw new UserInputException("eval set " + file + " was built for " + stored + " but this run asks for " + expected + fix);
      }
      List<EvalSet> sets = new ArrayList<>();
      for (Evaluator ev : evaluators) {
        int[][] a = arrays.get(ev);
        for (int idx = 0; idx < a[0].length; idx++) {
          if (a[0][idx] < 0 || a[0][idx] >= k || a[1][idx] < 0 || a[1][idx] >= e) {
            throw new UserInputException("eval set " + file + " is corrupt (index outside the bank)" + fix);
          }
        }
        sets.add(new EvalSet(ev, SequenceBatch.gather(bank, n, ctx + 1, a[2], a[0], a[1], a[3])));
      }
      return new EvalSuite(stored, sets);
    } catch (EOFException ex) {
      throw new UserInputException("eval set " + file + " is truncated" + fix);
    } catch (java.util.zip.ZipException ex) {
      throw new UserInputException("eval set " + file + " is not a gzip'd eval-set file (" + ex.getMessage() + ")" + fix);
    } catch (IOException ex) {
      throw new UserInputException("cannot read eval set " + file + ": " + ex.getMessage() + fix);
    }
  }

  private static void writeInts(DataOutputStream out, int[] a) throws IOException {
    out.writeInt(a.length);
    for (int v : a) {
      out.writeInt(v);
    }
  }

  /** Reads a length-prefixed int array whose length must not exceed {@code max} (guards corrupt files). */
  private static int[] readInts(DataInputStream in, int max) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > max) {
      throw new UserInputException("eval set file is corrupt (array length " + len + "); delete it to rebuild");
    }
    int[] a = new int[len];
    for (int i = 0; i < len; i++) {
      a[i] = in.readInt();
    }
    return a;
  }

  private static String truncate(String s) {
    return s.length() > 2000 ? s.substring(0, 2000) : s;
  }

  private static String describeRange(int[] a) {
    boolean consecutive = true;
    for (int i = 1; i < a.length && consecutive; i++) {
      consecutive = a[i] == a[i - 1] + 1;
    }
    if (consecutive && a.length > 0) {
      return a[0] + ".." + a[a.length - 1];
    }
    return a.length <= 8 ? Arrays.toString(a) : a.length + " ids";
  }
}
