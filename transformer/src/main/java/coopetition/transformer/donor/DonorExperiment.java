package coopetition.transformer.donor;

import coopetition.common.AtomicFiles;
import coopetition.common.Json;
import coopetition.common.Provenance;
import coopetition.transformer.mech.Claims;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Fig 4 driver run: trains the children that are not finished (one at a time, {@link ChildRunner}), then
 * writes {@code curves.csv}, {@code summary.csv} and {@code experiment.json} (provenance, every child's
 * settings) into its directory and checks the figure's claim. Running it again skips the finished children,
 * so the tables and figure can be redrawn for free.
 */
public final class DonorExperiment {
  public static final String PROVENANCE = "experiment.json";

  /** The three figures and the curve each one is about (the first metric is the claim's). */
  public enum Figure {
    FIG4A("4a", List.of(new Measure("icl_in_context_acc", 0.9))),
    FIG4B("4b", List.of(new Measure("icl_in_context_acc", 0.9))),
    FIG4C("4c", List.of(new Measure("flip_in_context_acc", 0.5), new Measure("icl_in_context_acc", 0.9)));

    public final String label;
    public final List<Measure> measures;

    Figure(String label, List<Measure> measures) {
      this.label = label;
      this.measures = measures;
    }

    public Measure main() {
      return measures.get(0);
    }
  }

  /** A metrics.csv column and the level a child should reach on it. */
  public record Measure(String metric, double threshold) {}

  /**
   * @param summaries one per child and measure, children in order
   * @param claim the figure's row of REPORT.md, or null when not every child finished
   */
  public record Result(Figure figure, Path dir, List<ChildRun> children, List<ChildSummary> summaries, Claims.Row claim) {
    public boolean complete() {
      return claim != null;
    }

    /** The summaries of the figure's main measure, children in order. */
    public List<ChildSummary> main() {
      return summaries.stream().filter(s -> s.metric().equals(figure.main().metric())).toList();
    }
  }

  private DonorExperiment() {}

  public static Result run(Figure f, List<ChildRun> children, ChildRunner runner, Path dir, String command) {
    ChildRunner.preflight(children);
    AtomicFiles.prepareDirectory(dir);
    writeProvenance(dir, f, children, command);
    runner.runAll(f.label, children);
    if (children.stream().anyMatch(c -> c.state() != ChildRun.State.DONE)) {
      return new Result(f, dir, children, List.of(), null);
    }
    List<ChildSummary> sums = new ArrayList<>();
    for (Measure m : f.measures) {
      for (ChildRun c : children) {
        sums.add(ChildSummary.of(c, m.metric(), m.threshold()));
      }
    }
    DonorTables.writeCurves(dir.resolve(DonorTables.CURVES), children);
    DonorTables.writeSummary(dir.resolve(DonorTables.SUMMARY), sums);
    Result partial = new Result(f, dir, children, sums, null);
    return new Result(f, dir, children, sums, claim(partial));
  }

  private static Claims.Row claim(Result r) {
    List<ChildSummary> main = r.main();
    return switch (r.figure()) {
      case FIG4A -> DonorClaims.fig4a(byName(main, "donor"), byName(main, DonorStudy.NO_DONOR));
      case FIG4B -> DonorClaims.fig4b(main.stream().filter(s -> s.donorSeqs() >= 0).toList(),
          byName(main, DonorStudy.NO_DONOR));
      case FIG4C -> DonorClaims.fig4c(main);
    };
  }

  private static ChildSummary byName(List<ChildSummary> s, String name) {
    return s.stream().filter(x -> x.child().equals(name)).findFirst().orElseThrow();
  }

  /** What produced the results: the command, the code, and each child's settings (those not at their default). */
  private static void writeProvenance(Path dir, Figure f, List<ChildRun> children, String command) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("figure", f.label);
    doc.put("provenance", Provenance.capture(command));
    List<Map<String, Object>> kids = new ArrayList<>();
    for (ChildRun c : children) {
      Map<String, Object> k = new LinkedHashMap<>();
      k.put("name", c.name());
      k.put("dir", c.dir().toString());
      k.put("donor_seqs", c.donorSeqs());
      k.put("init_from", c.initFrom() == null ? null : c.initFrom().toString());
      k.put("settings_changed_from_defaults", c.settings().changedFromDefaults());
      kids.add(k);
    }
    doc.put("children", kids);
    try {
      AtomicFiles.writeString(dir.resolve(PROVENANCE), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
