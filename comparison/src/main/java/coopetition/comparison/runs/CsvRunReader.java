package coopetition.comparison.runs;

import com.fasterxml.jackson.databind.JsonNode;
import coopetition.common.UserInputException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads curves from a CSV file with a header row: one column counts training sequences (the x axis),
 * every other column is a candidate curve. Empty cells mean "not logged at this row" (evaluations are
 * rarer than training steps); text, NaN or infinity in a used column is an error naming file, line
 * and column.
 */
public final class CsvRunReader {
  private CsvRunReader() {}

  /** Reads {@code file} with {@code xColumn} as the sequences axis. */
  public static RunData read(Path file, String xColumn) {
    return read(file, xColumn, "csv", null);
  }

  static RunData read(Path file, String xColumn, String format, JsonNode config) {
    if (!Files.isRegularFile(file)) {
      throw new UserInputException(file + " does not exist or is not a file; give a run directory, a .csv or a log.h5");
    }
    CSVFormat csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
        .setIgnoreEmptyLines(true).get();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser p = csv.parse(r)) {
      List<String> header = p.getHeaderNames();
      if (header.isEmpty()) {
        throw new UserInputException(file + ": line 1: no header row; the first line must name the columns");
      }
      int xIndex = header.indexOf(xColumn);
      if (xIndex < 0) {
        throw UserInputException.forField("xColumn", file + ": line 1: no sequences column '" + xColumn
            + "' (columns: " + String.join(", ", header) + "); name the sequences column");
      }
      int cols = header.size();
      List<List<double[]>> points = new ArrayList<>();
      String[] problem = new String[cols];
      for (int c = 0; c < cols; c++) {
        points.add(new ArrayList<>());
      }
      double lastX = Double.NEGATIVE_INFINITY;
      for (CSVRecord rec : p) {
        long line = rec.getRecordNumber() + 1; // the header is line 1
        if (rec.size() != cols) {
          throw new UserInputException(file + ": line " + line + ": " + rec.size() + " cells, the header has "
              + cols + "; fix the row");
        }
        double x = parse(rec.get(xIndex));
        if (!Double.isFinite(x)) {
          throw new UserInputException(file + ": line " + line + ", column '" + xColumn + "': '" + rec.get(xIndex)
              + "' is not a finite number of sequences; fix the row");
        }
        if (!(x > lastX)) {
          throw new UserInputException(file + ": line " + line + ", column '" + xColumn + "': " + rec.get(xIndex)
              + " does not increase; rows must be in training order without repeats");
        }
        lastX = x;
        for (int c = 0; c < cols; c++) {
          if (c == xIndex || problem[c] != null) {
            continue;
          }
          String cell = rec.get(c);
          if (cell.isEmpty()) {
            continue;
          }
          double y = parse(cell);
          if (!Double.isFinite(y)) {
            problem[c] = file + ": line " + line + ", column '" + header.get(c) + "': '" + cell + "' is "
                + (Double.isNaN(y) && !looksNaN(cell) ? "not a number" : "not finite")
                + "; fix the value or pair another column";
            continue;
          }
          points.get(c).add(new double[] {x, y});
        }
      }
      Map<String, Curve> curves = new LinkedHashMap<>();
      Map<String, String> problems = new LinkedHashMap<>();
      for (int c = 0; c < cols; c++) {
        if (c == xIndex) {
          continue;
        }
        String name = header.get(c);
        if (problem[c] != null) {
          problems.put(name, problem[c]);
          continue;
        }
        List<double[]> pts = points.get(c);
        if (pts.size() < 2) {
          problems.put(name, file + ": column '" + name + "' has " + pts.size()
              + " value(s); a curve needs at least 2 (let the run log more evaluations)");
          continue;
        }
        double[] xs = new double[pts.size()];
        double[] ys = new double[pts.size()];
        for (int i = 0; i < xs.length; i++) {
          xs[i] = pts.get(i)[0];
          ys[i] = pts.get(i)[1];
        }
        curves.put(name, new Curve(name, xs, ys));
      }
      return new RunData(file, format, curves, problems, config);
    } catch (NoSuchFileException e) {
      throw new UserInputException(file + " does not exist; give a run directory, a .csv or a log.h5");
    } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
      throw new UserInputException(file + ": not a readable CSV (" + e.getMessage() + "); fix the file");
    } catch (IllegalArgumentException e) {
      throw new UserInputException(file + ": bad CSV header (" + e.getMessage() + "); column names must be unique");
    }
  }

  private static boolean looksNaN(String s) {
    return s.equalsIgnoreCase("nan") || s.equalsIgnoreCase("-nan") || s.equalsIgnoreCase("+nan");
  }

  /** A number, NaN for text that is not one (the caller names the cell). */
  static double parse(String s) {
    if (s.equalsIgnoreCase("inf") || s.equalsIgnoreCase("+inf") || s.equalsIgnoreCase("infinity")) {
      return Double.POSITIVE_INFINITY;
    }
    if (s.equalsIgnoreCase("-inf") || s.equalsIgnoreCase("-infinity")) {
      return Double.NEGATIVE_INFINITY;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
