package coopetition.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

  @Test
  void theBuildKnowsItsMavenVersionAndCommit() {
    BuildInfo b = BuildInfo.current();
    // Filtered from the pom: a real version, not the placeholder nor the old hard-coded fallback.
    assertTrue(b.version().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), b.version());
    assertTrue(b.commit().matches("[0-9a-f]{40}") || b.commit().equals(BuildInfo.UNKNOWN), b.commit());
    assertEquals(b.version(), Provenance.capture("test").toolkitVersion());
    assertEquals(b.commit(), Provenance.capture("test").gitCommit());
    assertTrue(b.describe().startsWith(b.version() + " (commit "), b.describe());
  }

  @Test
  void unfilledPlaceholdersReadAsUnknown() {
    Properties p = new Properties();
    p.setProperty("version", "0.2.0");
    p.setProperty("commit", "${build.commit}");
    p.setProperty("dirty", "${build.dirty}");
    BuildInfo b = BuildInfo.of(p);
    assertEquals("0.2.0", b.version());
    assertEquals(BuildInfo.UNKNOWN, b.commit());
    assertFalse(b.dirty());
    assertEquals("0.2.0 (commit unknown)", b.describe());
  }

  @Test
  void aDirtyBuildSaysSo() {
    Properties p = new Properties();
    p.setProperty("version", "0.2.0");
    p.setProperty("commit", "0123456789abcdef0123456789abcdef01234567");
    p.setProperty("dirty", "true");
    assertEquals("0.2.0 (commit 0123456789ab, dirty)", BuildInfo.of(p).describe());
  }
}
