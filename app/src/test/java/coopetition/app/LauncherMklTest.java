package coopetition.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/coop's choice of MKL's kernels (app/src/dist/native/mkl_intel_cpu.c, docs/PERFORMANCE.md): on an AMD
 * CPU with AVX-512 and a C compiler it preloads the shim, and the JVM learns which path runs. Run through
 * the real launcher script with this build's class path and a private cache.
 */
class LauncherMklTest {
  private static final Path LAUNCHER = Path.of("src", "dist", "bin", "coop");
  private static final Path SHIM_SOURCE = Path.of("src", "dist", "native", "mkl_intel_cpu.c");

  private record Run(int code, String out) {}

  private static Run coop(Path home, Path cache, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("LD_PRELOAD");
    pb.environment().remove("COOP_MKL_AVX512");
    pb.environment().put("COOP_HOME", home.toString());
    pb.environment().put("COOP_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("XDG_CACHE_HOME", cache.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "coop did not finish: " + out);
    return new Run(p.exitValue(), out);
  }

  private static boolean amdWithAvx512() throws IOException {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return false;
    }
    String s = Files.readString(cpuinfo);
    return s.matches("(?s).*vendor_id\\s*:\\s*AuthenticAMD.*") && s.matches("(?s).*\\bavx512f\\b.*");
  }

  private static boolean hasCompiler() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, "cc")) || Files.isExecutable(Path.of(dir, "gcc"))) {
        return true;
      }
    }
    return false;
  }

  private static Path homeWithShim(Path tmp) throws IOException {
    Path home = tmp.resolve("home");
    Files.createDirectories(home.resolve("native"));
    Files.copy(SHIM_SOURCE, home.resolve("native").resolve("mkl_intel_cpu.c"));
    return home;
  }

  @Test
  void theLauncherSaysWhichKernelsRunAndWhy(@TempDir Path tmp) throws Exception {
    Path home = homeWithShim(tmp);
    Path cache = tmp.resolve("cache");
    String line = coop(home, cache, Map.of(), "--version").out();
    if (amdWithAvx512() && hasCompiler()) {
      assertTrue(line.contains("MKL kernels: avx512 (AMD CPU; bin/coop preloads " + cache.resolve("coopetition")),
          line);
      try (var files = Files.list(cache.resolve("coopetition"))) {
        assertEquals(1, files.filter(f -> f.getFileName().toString().endsWith(".so")).count(), "one built shim");
      }
      // without its source the launcher says so and runs MKL's own choice
      Path bare = tmp.resolve("bare");
      Files.createDirectories(bare);
      assertTrue(coop(bare, tmp.resolve("cache2"), Map.of(), "--version").out()
          .contains("MKL kernels: default (native/mkl_intel_cpu.c missing)"));
    } else if (!amdWithAvx512()) {
      assertTrue(line.contains("MKL kernels: default (not an AMD CPU)") || line.contains("MKL kernels: default (no AVX-512)"),
          line);
    } else {
      assertTrue(line.contains("MKL kernels: default (no C compiler"), line);
    }
    assertTrue(coop(home, cache, Map.of("COOP_MKL_AVX512", "0"), "--version").out()
        .contains("MKL kernels: default (COOP_MKL_AVX512=0)"));
  }

  /**
   * Where the shim applies: the AVX-512 path is deterministic (two runs, the same metrics to the last
   * digit) and really another path (other rounding than with COOP_MKL_AVX512=0), and the run's
   * provenance names it.
   */
  @Test
  void theAvx512PathIsDeterministicAndRoundsDifferently(@TempDir Path tmp) throws Exception {
    assumeTrue(amdWithAvx512() && hasCompiler(), "the shim applies only on an AMD CPU with AVX-512 and a C compiler");
    Path home = homeWithShim(tmp);
    Path cache = tmp.resolve("cache");
    String[] settings = {"--preset", "quick", "--set", "classes=2048", "--set", "train_seqs=3200", "--set",
        "eval_every=1600", "--set", "eval_seqs=200", "--set", "ckpt_every=1600", "--no-progress"};
    List<String> metrics = new ArrayList<>();
    for (String name : List.of("a", "b", "off")) {
      List<String> args = new ArrayList<>(List.of("train"));
      args.addAll(List.of(settings));
      args.addAll(List.of("--out", tmp.resolve(name).toString()));
      Map<String, String> env = name.equals("off") ? Map.of("COOP_MKL_AVX512", "0") : Map.of();
      Run r = coop(home, cache, env, args.toArray(String[]::new));
      assertEquals(0, r.code(), r.out());
      metrics.add(Files.readString(tmp.resolve(name).resolve("metrics.csv")));
    }
    assertEquals(metrics.get(0), metrics.get(1), "the AVX-512 path, run twice");
    assertNotEquals(metrics.get(0), metrics.get(2), "the AVX-512 path and MKL's AVX2 path round differently");
    assertTrue(Files.readString(tmp.resolve("a").resolve("config.json")).contains("\"mkl_kernels\" : \"avx512"));
    assertTrue(Files.readString(tmp.resolve("off").resolve("config.json"))
        .contains("\"mkl_kernels\" : \"default (COOP_MKL_AVX512=0)\""));
  }
}
