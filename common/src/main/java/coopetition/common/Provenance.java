package coopetition.common;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What produced a result: code version, JVM, machine, time, command line. Stored next to every result
 * (Tribuo-style), so a figure can always be traced back to the run that made it.
 */
public record Provenance(
    String toolkitVersion,
    String gitCommit,
    boolean gitDirty,
    String javaVersion,
    String os,
    String host,
    int cores,
    String createdAt,
    String command,
    Map<String, String> extra) {

  public static Provenance capture(String command) {
    return capture(command, Map.of());
  }

  public static Provenance capture(String command, Map<String, String> extra) {
    String version = Provenance.class.getPackage().getImplementationVersion();
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown";
    }
    String commit = git("rev-parse", "HEAD");
    String status = git("status", "--porcelain", "--untracked-files=no");
    return new Provenance(
        version == null ? "0.1.0-SNAPSHOT" : version,
        commit == null ? "unknown" : commit,
        status != null && !status.isBlank(),
        System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        host,
        Runtime.getRuntime().availableProcessors(),
        Instant.now().toString(),
        command,
        new LinkedHashMap<>(extra));
  }

  private static String git(String... args) {
    Path root = Path.of(System.getProperty("coop.home", ".")).toAbsolutePath();
    if (!Files.exists(root.resolve(".git"))) { // a directory, or a file in a git worktree
      return null;
    }
    String[] cmd = new String[args.length + 3];
    cmd[0] = "git";
    cmd[1] = "-C";
    cmd[2] = root.toString();
    System.arraycopy(args, 0, cmd, 3, args.length);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
