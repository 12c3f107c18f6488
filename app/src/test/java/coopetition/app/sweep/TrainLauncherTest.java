package coopetition.app.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which launcher a sweep's runs get: the checkout's ./coop, a distribution's bin/coop, else this JVM. */
class TrainLauncherTest {

  private static Path executable(Path p) throws Exception {
    Files.createDirectories(p.getParent());
    Files.writeString(p, "#!/bin/sh\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  private static List<String> prefixWithHome(Path home) {
    String before = System.getProperty("coop.home");
    System.setProperty("coop.home", home.toString());
    try {
      return TrainLauncher.resolve(null).prefix();
    } finally {
      if (before == null) {
        System.clearProperty("coop.home");
      } else {
        System.setProperty("coop.home", before);
      }
    }
  }

  @Test
  void aCheckoutsCoopThenADistributionsBinCoopThenThisJvm(@TempDir Path tmp) throws Exception {
    Path checkout = executable(tmp.resolve("checkout").resolve("coop"));
    assertEquals(List.of(checkout.toString()), prefixWithHome(checkout.getParent()));
    Path dist = executable(tmp.resolve("dist").resolve("bin").resolve("coop"));
    assertEquals(List.of(dist.toString()), prefixWithHome(tmp.resolve("dist")));
    // Neither: this JVM's java and class path, with the Vector API when this JVM has it (Adam's SIMD passes).
    List<String> jvm = prefixWithHome(tmp.resolve("empty"));
    assertTrue(jvm.get(0).endsWith("java"), jvm.toString());
    assertEquals(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
        jvm.contains("jdk.incubator.vector"), jvm.toString());
    assertEquals("coopetition.app.Coop", jvm.get(jvm.size() - 1));
  }
}
