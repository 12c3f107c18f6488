package coopetition.comparison.runs;

import com.fasterxml.jackson.databind.JsonNode;
import coopetition.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run directory written by this project's transformer module: {@code DIR/metrics.csv} with columns
 * {@code seqs, step, train_loss, <evaluator>_<metric>...} and {@code DIR/config.json}.
 */
public final class MetricsRunReader {
  /** The sequences column of metrics.csv. */
  public static final String X_COLUMN = "seqs";

  private MetricsRunReader() {}

  public static RunData read(Path dir) {
    Path csv = dir.resolve("metrics.csv");
    Path cfg = dir.resolve("config.json");
    JsonNode config = Files.isRegularFile(cfg) ? Json.read(cfg) : null;
    return CsvRunReader.read(csv, X_COLUMN, "metrics.csv", config);
  }
}
