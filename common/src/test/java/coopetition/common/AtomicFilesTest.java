package coopetition.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @Test
  void resultFilesGetTheSamePermissionsAsAnyNewFile(@TempDir Path tmp) throws IOException {
    Assumptions.assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path plain = Files.writeString(tmp.resolve("plain.txt"), "x");
    Path ours = tmp.resolve("metrics.csv");
    AtomicFiles.writeString(ours, "a,b\n");
    Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
    assertEquals(expected, Files.getPosixFilePermissions(ours), "not owner-only like a JDK temp file");
    assertEquals("a,b\n", Files.readString(ours));
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporary(@TempDir Path tmp) throws IOException {
    Path target = tmp.resolve("config.json");
    AtomicFiles.writeString(target, "old");
    assertThrows(RuntimeException.class, () -> AtomicFiles.write(target, out -> {
      out.write("half".getBytes());
      throw new IOException("disk full");
    }));
    assertEquals("old", Files.readString(target));
    try (Stream<Path> files = Files.list(tmp)) {
      assertTrue(files.allMatch(target::equals), "temporary file left behind");
    }
  }
}
