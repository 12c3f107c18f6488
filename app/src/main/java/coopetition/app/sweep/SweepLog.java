package coopetition.app.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** {@code DIR/sweep.log}: one timestamped line per start, resume, end or submission, appended, also on stderr. */
final class SweepLog {
  static final String FILE = "sweep.log";
  private final Path file;

  SweepLog(Path dir) {
    this.file = dir.resolve(FILE);
  }

  synchronized void line(String text) {
    String l = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")) + " " + text;
    System.err.println("coop sweep: " + text);
    try {
      Files.writeString(file, l + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println("coop sweep: cannot append to " + file + " (" + e.getMessage() + ")");
    }
  }
}
