import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Two builds of the project in one JVM, each in its own class loader over the same libraries (one libtorch), their
 * runners called in turn: CPU ms per call of each and the per-round ratio B/A. Both builds see the same machine
 * minute by minute, so a few percent show, where separate processes moved by 10-30% (docs/PERFORMANCE.md).
 * Args: CLASSPATH_FILE BUILD_A BUILD_B RUNNER_DIR_A RUNNER_DIR_B RUNNER BATCH ROUNDS CALLS. Run by onejvm.sh.
 */
public class OneJvm {
  public static void main(String[] a) throws Exception {
    List<URL> libraries = new ArrayList<>();
    for (String e : Files.readString(Path.of(a[0])).trim().split(":")) {
      if (!e.contains("/target/")) { // the project's own jars come from each build
        libraries.add(new File(e).toURI().toURL());
      }
    }
    ClassLoader shared = new URLClassLoader(libraries.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    Thread.currentThread().setContextClassLoader(shared); // DJL finds its engine through it
    System.setProperty("onejvm.batch", a[6]);
    IntConsumer[] runner = new IntConsumer[2];
    for (int i = 0; i < 2; i++) {
      String build = a[1 + i];
      URL[] own = {new File(build + "/common/target/classes/").toURI().toURL(),
          new File(build + "/transformer/target/classes/").toURI().toURL(), new File(a[3 + i] + "/").toURI().toURL()};
      runner[i] = (IntConsumer) new URLClassLoader(own, shared).loadClass(a[5]).getConstructor().newInstance();
    }
    int rounds = Integer.parseInt(a[7]);
    int calls = Integer.parseInt(a[8]);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int w = 0; w < 3; w++) { // warm-up: both JITs compile
      for (IntConsumer r : runner) {
        r.accept(calls);
      }
    }
    double[][] ms = new double[2][rounds];
    double[] ratio = new double[rounds];
    for (int k = 0; k < rounds; k++) {
      for (int j = 0; j < 2; j++) {
        int i = k % 2 == 0 ? j : 1 - j; // alternate which goes first
        long c0 = mx.getCurrentThreadCpuTime();
        runner[i].accept(calls);
        ms[i][k] = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / calls;
      }
      ratio[k] = ms[1][k] / ms[0][k];
    }
    for (double[] m : ms) {
      Arrays.sort(m);
    }
    Arrays.sort(ratio);
    System.out.printf("%s batch %s: A %.3f ms, B %.3f ms (medians); B/A per round: median %.3f [quartiles %.3f, %.3f];"
        + " outputs A %s, B %s%n", a[5], a[6], ms[0][rounds / 2], ms[1][rounds / 2], ratio[rounds / 2],
        ratio[rounds / 4], ratio[3 * rounds / 4], runner[0], runner[1]);
  }
}
