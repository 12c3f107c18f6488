package coopetition.app.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What sbatch passes on to the tasks: not this machine's MKL shim, but every other preloaded library. */
class SlurmEnvironmentTest {

  @Test
  void theShimAndItsLabelStayOnThisMachine() {
    Map<String, String> env = new HashMap<>(Map.of(
        "LD_PRELOAD", "/home/u/.cache/coopetition/mkl_intel_cpu-1603203073.so:/opt/lib/libjemalloc.so",
        "COOP_MKL_KERNELS", "avx512 (AMD CPU; bin/coop preloads ...)", "PATH", "/usr/bin"));
    SlurmExecutor.withoutThisMachinesMklChoice(env);
    assertEquals("/opt/lib/libjemalloc.so", env.get("LD_PRELOAD"));
    assertFalse(env.containsKey("COOP_MKL_KERNELS"));
    assertEquals("/usr/bin", env.get("PATH"));

    Map<String, String> only = new HashMap<>(Map.of("LD_PRELOAD", "/tmp/c/coopetition/mkl_intel_cpu-1.so"));
    SlurmExecutor.withoutThisMachinesMklChoice(only);
    assertFalse(only.containsKey("LD_PRELOAD"), "nothing left to preload");
  }
}
