package coopetition.transformer.train;

import coopetition.common.AtomicFiles;
import coopetition.common.UserInputException;
import coopetition.transformer.eval.Evaluator;
import coopetition.transformer.eval.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * metrics.csv: one row per eval with {@code seqs, step, train_loss}, then {@code <eval>_<metric>} for
 * every evaluator and metric, then {@value #EXPLODED}. {@code train_loss} is the mean training loss of
 * the steps since the previous eval (an empty cell at the first eval, before any step);
 * {@value #EXPLODED} is 1 when one of those steps' loss was above {@link LossWatch}'s threshold, else 0.
 * Rewritten whole and atomically at every eval. Files written before the flag existed (the committed
 * reference runs) are read, and resumed, without it: their rows get an empty flag cell.
 */
public final class MetricsLog {
  /** The flag column: a step's training loss since the previous eval exploded. */
  public static final String EXPLODED = "train_loss_exploded";

  private final Path file;
  private final List<String> columns;
  private final List<double[]> rows = new ArrayList<>();

  public MetricsLog(Path file, List<Evaluator> evaluators) {
    this(columns(evaluators), file);
  }

  /** A log with these exact columns (a file written before the flag column existed). */
  private MetricsLog(List<String> columns, Path file) {
    this.file = file;
    this.columns = columns;
  }

  public static List<String> columns(List<Evaluator> evaluators) {
    List<String> c = new ArrayList<>(List.of("seqs", "step", "train_loss"));
    for (Evaluator e : evaluators) {
      for (String m : Metrics.NAMES) {
        c.add(e.columnPrefix() + "_" + m);
      }
    }
    c.add(EXPLODED);
    return Collections.unmodifiableList(c);
  }

  public List<String> columns() {
    return columns;
  }

  public List<double[]> rows() {
    return Collections.unmodifiableList(rows);
  }

  /** Appends a row; {@code values} maps every column after the first three. */
  public void add(long seqs, long step, double trainLoss, Map<String, Double> values) {
    double[] r = new double[columns.size()];
    r[0] = seqs;
    r[1] = step;
    r[2] = trainLoss;
    for (int i = 3; i < r.length; i++) {
      Double v = values.get(columns.get(i));
      r[i] = v == null ? Double.NaN : v;
    }
    rows.add(r);
  }

  /** The column's values over all rows. */
  public double[] column(String name) {
    int i = columns.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no column " + name);
    }
    double[] out = new double[rows.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = rows.get(k)[i];
    }
    return out;
  }

  public void write() {
    StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
    for (double[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        boolean whole = i < 2 || (columns.get(i).equals(EXPLODED) && !Double.isNaN(r[i]));
        sb.append(whole ? Long.toString((long) r[i]) : format(r[i]));
      }
      sb.append('\n');
    }
    AtomicFiles.writeString(file, sb.toString());
  }

  /** Reads a whole metrics.csv written by this class, with or without the flag column (re-plotting). */
  public static MetricsLog read(Path file) {
    MetricsLog log = new MetricsLog(file, List.of(Evaluator.values()));
    try {
      List<String> lines = Files.readAllLines(file);
      if (!lines.isEmpty() && lines.get(0).equals(String.join(",", legacyColumns(log.columns)))) {
        log = new MetricsLog(legacyColumns(log.columns), file);
      }
      log.loadExisting(lines.size() - 1);
    } catch (IOException e) {
      throw new UserInputException("cannot read " + file + " (" + e.getMessage() + ")");
    }
    return log;
  }

  /** The columns before {@value #EXPLODED} was added. */
  private static List<String> legacyColumns(List<String> columns) {
    return columns.subList(0, columns.size() - 1);
  }

  /** Reloads the first {@code keep} rows of an existing file (resume). */
  public void loadExisting(long keep) {
    rows.clear();
    if (keep == 0) {
      return;
    }
    try {
      List<String> lines = Files.readAllLines(file);
      boolean legacy = !lines.isEmpty() && columns.get(columns.size() - 1).equals(EXPLODED)
          && lines.get(0).equals(String.join(",", legacyColumns(columns)));
      UserInputException.require(legacy || (!lines.isEmpty() && lines.get(0).equals(String.join(",", columns))),
          file + " does not have this run's columns; resume into the directory the checkpoint came from");
      UserInputException.require(lines.size() - 1 >= keep, file + " has " + (lines.size() - 1)
          + " rows but the checkpoint has " + keep + " evals; the run directory is inconsistent");
      for (int k = 1; k <= keep; k++) {
        String[] parts = lines.get(k).split(",", -1);
        double[] r = new double[columns.size()];
        for (int i = 0; i < r.length; i++) {
          r[i] = i >= parts.length || parts[i].isEmpty() ? Double.NaN : Double.parseDouble(parts[i]);
        }
        rows.add(r);
      }
    } catch (IOException e) {
      throw new UserInputException("cannot read " + file + " to resume (" + e.getMessage() + ")");
    }
  }

  /** Shortest text that parses back to the same double (so resumed and straight runs compare exactly). */
  static String format(double v) {
    if (Double.isNaN(v)) {
      return ""; // "not measured" (train_loss before the first step): an empty cell, as CSV readers expect
    }
    String s = Double.toString(v);
    return s.toLowerCase(Locale.ROOT);
  }
}
