package coopetition.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and git commit of this build, written into {@code coopetition/build.properties} by Maven
 * at build time, so a distribution without the source tree still knows where it came from.
 *
 * @param version the Maven project version
 * @param commit  the full git commit id, or {@code "unknown"} when built outside a git checkout
 * @param dirty   whether the checkout had uncommitted changes to tracked files when it was built
 */
public record BuildInfo(String version, String commit, boolean dirty) {

  public static final String UNKNOWN = "unknown";
  private static final String RESOURCE = "/coopetition/build.properties";
  private static final BuildInfo CURRENT = load();

  /** This build's information, read once. */
  public static BuildInfo current() {
    return CURRENT;
  }

  /** {@code 0.1.0-SNAPSHOT (commit 1a2b3c4d5e6f, dirty)}: what {@code --version} prints. */
  public String describe() {
    String shortCommit = commit.length() > 12 ? commit.substring(0, 12) : commit;
    return version + " (commit " + shortCommit + (dirty ? ", dirty" : "") + ")";
  }

  static BuildInfo load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    return of(p);
  }

  /** Unfilled placeholders (a build without git, or classes run straight from an IDE) read as unknown. */
  static BuildInfo of(Properties p) {
    String version = filled(p.getProperty("version"));
    String commit = filled(p.getProperty("commit"));
    return new BuildInfo(version, commit, !UNKNOWN.equals(commit) && Boolean.parseBoolean(p.getProperty("dirty")));
  }

  private static String filled(String value) {
    return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value.trim();
  }
}
