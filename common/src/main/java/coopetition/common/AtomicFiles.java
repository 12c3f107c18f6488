package coopetition.common;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Every result file goes through here: written to a temporary sibling, then moved into place, so a
 * killed run never leaves a half-written file behind and an old complete file survives a failed
 * rewrite.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Something that writes a whole file's content to a stream. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  public static void write(Path target, Writer writer) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      // Not Files.createTempFile: that makes the file owner-only (0600), and results should get the
      // permissions of any file the user creates (umask), so a unique name and CREATE_NEW instead.
      tmp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        writer.write(out);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temp file is hidden and has a .tmp suffix
        }
      }
    }
  }

  public static void writeString(Path target, String content) {
    write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Creates an output directory for a command. Nothing is written into it until results exist, so a
   * command that fails on bad input leaves at most an empty directory that did not exist before,
   * which this removes again via {@link #removeIfEmpty}.
   */
  public static Path prepareDirectory(Path dir) {
    try {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new UserInputException("--out " + dir + " is a file; give a directory path");
      }
      Files.createDirectories(dir);
      return dir;
    } catch (IOException e) {
      throw new UserInputException("cannot create output directory " + dir + ": " + e.getMessage() + "; choose a writable --out");
    }
  }

  public static void removeIfEmpty(Path dir) {
    try (var s = Files.list(dir)) {
      if (s.findAny().isEmpty()) {
        Files.delete(dir);
      }
    } catch (IOException ignored) {
      // not ours to clean, or already gone
    }
  }
}
