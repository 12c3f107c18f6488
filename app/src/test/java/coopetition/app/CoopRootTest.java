package coopetition.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.BuildInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The root command's own options: --version and the completion script. */
class CoopRootTest {

  static String out(String... args) {
    CommandLine cl = Coop.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    assertEquals(0, cl.execute(args));
    return out.toString();
  }

  @Test
  void versionIsTheBuildsNotAPlaceholder() {
    String[] lines = out("--version").trim().split("\\R");
    String v = lines[0];
    assertEquals("coopetition " + BuildInfo.current().describe(), v);
    assertFalse(v.contains("${"), v);
    assertTrue(v.matches("coopetition \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{12}|unknown)(, dirty)?\\)"), v);
    // the second line: MKL's kernel path (LauncherMklTest runs it through bin/coop)
    assertEquals(2, lines.length, String.join("\n", lines));
    assertEquals("MKL kernels: " + coopetition.common.Provenance.describeMklKernels(), lines[1]);
  }

  @Test
  void completionPrintsABashScriptForEveryCommand() {
    String script = out("completion");
    assertTrue(script.contains("complete -F"), script.substring(0, Math.min(300, script.length())));
    for (String command : new String[] {"toy", "toy-sweep", "fit", "demo", "train", "bench", "completion"}) {
      assertTrue(script.contains(command), command);
    }
    assertTrue(script.contains("--formats"));
  }
}
