package coopetition.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The toy commands through the real CLI root: outputs, their shapes, and bad input. */
class ToyCommandsTest {
  @TempDir Path tmp;

  record Result(int exit, String err) {}

  static Result run(String... args) {
    CommandLine cl = Coop.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Result(exit, err.toString());
  }

  static List<String> files(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void sweepWritesOneRowPerConfigAndSeed() throws IOException {
    Path out = tmp.resolve("sweep");
    Result r = run("toy-sweep", "--set", "alpha=0,0.1", "--set", "nd=80,160,320", "--seeds", "0-3",
        "--t-end", "3000", "--threads", "2", "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(files(out).containsAll(List.of("phase.png", "phase.svg", "summary.csv", "sweep.csv", "sweep.json")), files(out).toString());
    List<String> rows = Files.readAllLines(out.resolve("sweep.csv"));
    assertEquals(1 + 2 * 3 * 4, rows.size());
    String[] header = rows.get(0).split(",", -1);
    assertEquals("na", header[0]);
    assertTrue(List.of(header).containsAll(List.of("alpha", "nd", "seed", "l1_null", "mech1_transient", "t_cross", "wall_ms")));
    for (String row : rows) {
      assertEquals(header.length, row.split(",", -1).length, row);
    }
    // Grid order: alpha slowest, then nd, then seed.
    String[] second = rows.get(5).split(",", -1);
    assertEquals("0.0", second[4]);
    assertEquals("160", second[3]);
    assertEquals("0", second[9]);
    List<String> agg = Files.readAllLines(out.resolve("summary.csv"));
    assertEquals(1 + 6, agg.size());
    assertTrue(agg.get(0).contains("fraction_transient") && agg.get(0).contains("median_t_l1_min"));
  }

  @Test
  void formatsPdfWritesOnlyAPdf() throws IOException {
    Path out = tmp.resolve("pdf");
    Result r = run("toy", "--seed", "4", "--t-end", "300", "--formats", "pdf", "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(files(out).contains("toy.pdf"), files(out).toString());
    assertTrue(Files.size(out.resolve("toy.pdf")) > 1000);
    assertTrue(Files.readString(out.resolve("toy.pdf"), java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("%PDF"));
    assertTrue(files(out).stream().noneMatch(f -> f.endsWith(".png") || f.endsWith(".svg")), files(out).toString());

    Result bad = run("toy", "--formats", "gif", "--out", tmp.resolve("gif").toString());
    assertEquals(Coop.EXIT_USAGE, bad.exit());
    assertTrue(bad.err().contains("--formats"), bad.err());
  }

  @Test
  void toyWritesCsvSummaryAndFigure() throws IOException {
    Path out = tmp.resolve("toy");
    Result r = run("toy", "--seed", "4", "--t-end", "3000", "--solver", "flow-reduced", "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(List.of("summary.json", "toy.png", "toy.svg", "trajectory.csv"), files(out));
    List<String> rows = Files.readAllLines(out.resolve("trajectory.csv"));
    assertEquals(1 + 3001, rows.size());
    assertTrue(rows.get(0).startsWith("t,loss,l1,l2,cost,a_norm,a_grad_norm,a_cos_dist,a_dist"));
    String json = Files.readString(out.resolve("summary.json"));
    assertTrue(json.contains("\"mech1_learned\" : true") && json.contains("\"provenance\"") && json.contains("\"seed\" : 4"), json);
  }

  @Test
  void badOptionsGiveOneLineExitTwoAndNoFiles() throws IOException {
    // Each bad input with the flag its one line must name.
    String[][] bad = {
        {"toy-sweep", "--set", "alpha=", "--set"},
        {"toy-sweep", "--set", "foo=1", "--set"},
        {"toy-sweep", "--set", "alpha", "--set"},
        {"toy-sweep", "--set", "nd=-5", "--set nd"},
        {"toy-sweep", "--set", "nd=80.5", "--set nd"},
        {"toy-sweep", "--set", "init_scale=-1", "--set init-scale"},
        {"toy-sweep", "--seeds", "x-3", "--seeds"},
        {"toy-sweep", "--solver", "euler", "--solver"},
        {"toy-sweep", "--threads", "0", "--threads"},
        {"toy", "--nd", "-1", "--nd"},
        {"toy", "--init-scale", "-1", "--init-scale"},
        {"toy", "--solver", "rk4", "--solver"},
        {"toy", "--clamp", "a=sideways", "--clamp"},
        {"toy", "--clamp", "e=target", "--clamp"},
        {"toy", "--clamp", "a=target", "--clamp", "a=current", "--clamp"},
        {"toy", "--rtol", "0", "--rtol"},
        {"toy", "--lr", "0", "--learning-rate"},
        {"toy", "--loss-threshold", "-1", "--loss-threshold"},
        {"toy", "--dt", "0", "--dt"},
        {"toy", "--t-end", "-1", "--t-end"},
    };
    int i = 0;
    for (String[] row : bad) {
      Path out = tmp.resolve("bad" + i++);
      String[] args = Arrays.copyOf(row, row.length - 1);
      String flag = row[row.length - 1];
      String[] full = Stream.concat(Stream.of(args), Stream.of("--out", out.toString())).toArray(String[]::new);
      Result r = run(full);
      assertEquals(2, r.exit(), String.join(" ", args) + " -> " + r.err());
      assertEquals(1, r.err().strip().lines().count(), "one line for " + String.join(" ", args) + ": " + r.err());
      assertTrue(r.err().contains("error"), r.err());
      assertTrue(r.err().contains(flag), "names " + flag + ": " + r.err());
      assertEquals(List.of(), files(out), "no partial output for " + String.join(" ", args));
    }
  }
}
