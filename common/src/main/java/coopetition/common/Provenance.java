package coopetition.common;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What produced a result: code version and commit of the build ({@link BuildInfo}), JVM, machine, time,
 * command line. Stored next to every result (Tribuo-style), so a figure can always be traced back to the
 * run that made it.
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
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown";
    }
    BuildInfo build = BuildInfo.current();
    Map<String, String> all = new LinkedHashMap<>(extra);
    String mkl = mklKernels();
    if (mkl != null) {
      all.putIfAbsent("mkl_kernels", mkl); // the GEMM path changes the last bits of every result
    }
    return new Provenance(
        build.version(),
        build.commit(),
        build.dirty(),
        System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        host,
        Runtime.getRuntime().availableProcessors(),
        Instant.now().toString(),
        command,
        all);
  }

  /**
   * Which of MKL's kernel paths libtorch runs, as bin/coop chose it ({@code avx512 (...)} or {@code default
   * (why)}), or null when the JVM was not started through bin/coop (tests, an IDE).
   */
  public static String mklKernels() {
    String v = System.getenv(MKL_KERNELS_ENV);
    return v == null || v.isBlank() ? null : v;
  }

  /** {@link #mklKernels()} for people: never null. */
  public static String describeMklKernels() {
    String v = mklKernels();
    return v != null ? v : "default (not started through bin/coop)";
  }

  /** The environment variable bin/coop sets to the MKL path it chose. */
  public static final String MKL_KERNELS_ENV = "COOP_MKL_KERNELS";
}
