package coopetition.comparison.report;

import coopetition.comparison.fit.FitQuality;
import coopetition.comparison.fit.FitResult;
import coopetition.comparison.fit.JointResult;
import coopetition.comparison.fit.SharingComparison;
import java.util.List;
import java.util.Locale;

/** The joint fit's tables as Markdown: parameters and R² per run, and the sharing hypotheses with their tests. */
public final class JointTables {
  private JointTables() {}

  public static String perRun(JointResult r, List<FitQuality> quality) {
    StringBuilder b = new StringBuilder();
    b.append("shared: ").append(r.shared().isEmpty() ? "(none)" : String.join(", ", r.shared())).append("\n\n");
    FitResult first = r.perRun().get(0);
    b.append("| run |");
    for (FitResult.Estimate e : first.parameters()) {
      b.append(' ').append(e.name()).append(" |");
    }
    b.append(" R² per curve | verdict |\n|---|");
    b.append("---|".repeat(first.parameters().size() + 2)).append('\n');
    for (int k = 0; k < r.runs().size(); k++) {
      FitResult f = r.perRun().get(k);
      b.append("| ").append(r.runs().get(k)).append(" |");
      for (FitResult.Estimate e : f.parameters()) {
        b.append(e.fixed() ? String.format(Locale.ROOT, " %.3g (fixed) |", e.value())
            : String.format(Locale.ROOT, " %.3g [%.3g, %.3g] |", e.value(), e.lower(), e.upper()));
      }
      StringBuilder r2 = new StringBuilder();
      for (FitResult.CurveFit c : f.curves()) {
        r2.append(r2.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.3f", c.r2()));
      }
      b.append(' ').append(r2).append(" | ").append(quality == null ? "" : quality.get(k).meetsBar() ? "meets the bar"
          : "does NOT meet the bar").append(" |\n");
    }
    return b.toString();
  }

  public static String hypotheses(SharingComparison c) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%d points (effective %.0f)%n%n", c.points(), c.effectivePoints()));
    b.append("| hypothesis | fitted numbers | weighted SSE | AIC | BIC |\n|---|---:|---:|---:|---:|\n");
    double bestAic = c.rows().stream().mapToDouble(SharingComparison.Row::aic).min().orElse(0);
    double bestBic = c.rows().stream().mapToDouble(SharingComparison.Row::bic).min().orElse(0);
    for (SharingComparison.Row row : c.rows()) {
      b.append(String.format(Locale.ROOT, "| %s | %d | %.4g | %.1f%s | %.1f%s |%n", row.hypothesis(), row.fitted(),
          row.weightedSse(), row.aic(), row.aic() == bestAic ? " (best)" : "", row.bic(),
          row.bic() == bestBic ? " (best)" : ""));
    }
    b.append("\n| null hypothesis | alternative | df | Λ (n) | p (n) | Λ (effective) | p (effective) |\n"
        + "|---|---|---:|---:|---:|---:|---:|\n");
    for (SharingComparison.Test t : c.tests()) {
      b.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.2g | %.1f | %.2g%s |%n", t.nullHypothesis(),
          t.alternative(), t.df(), t.statistic(), t.pValue(), t.statisticEffective(), t.pValueEffective(),
          t.rejects() ? " (rejects)" : ""));
    }
    b.append('\n').append(c.verdict()).append('\n');
    return b.toString();
  }
}
