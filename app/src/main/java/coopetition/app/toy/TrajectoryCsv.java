package coopetition.app.toy;

import coopetition.common.AtomicFiles;
import coopetition.toymodel.ToyVector;
import coopetition.toymodel.Trajectory;
import coopetition.toymodel.VectorTrace;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes a trajectory as CSV: t, loss, l1, l2, cost, then per vector norm, grad_norm, cos_dist, dist;
 * numbers with 12 significant digits.
 */
public final class TrajectoryCsv {
  private TrajectoryCsv() {}

  public static void write(Path file, Trajectory tr) {
    AtomicFiles.write(file, os -> {
      BufferedWriter w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
      StringBuilder header = new StringBuilder("t,loss,l1,l2,cost");
      if (tr.hasProgress()) {
        for (ToyVector v : ToyVector.values()) {
          String x = v.symbol();
          header.append(',').append(x).append("_norm,").append(x).append("_grad_norm,")
              .append(x).append("_cos_dist,").append(x).append("_dist");
        }
      }
      w.write(header.append('\n').toString());
      StringBuilder row = new StringBuilder(512);
      for (int i = 0; i < tr.size(); i++) {
        row.setLength(0);
        FastDecimal.append(row, tr.t()[i]);
        cell(row, tr.loss()[i]);
        cell(row, tr.l1()[i]);
        cell(row, tr.l2()[i]);
        cell(row, tr.cost()[i]);
        if (tr.hasProgress()) {
          for (ToyVector v : ToyVector.values()) {
            VectorTrace p = tr.progress().get(v);
            cell(row, p.norm()[i]);
            cell(row, p.gradNorm()[i]);
            cell(row, p.cosineDistance()[i]);
            cell(row, p.distance()[i]);
          }
        }
        w.write(row.append('\n').toString());
      }
      w.flush();
    });
  }

  private static void cell(StringBuilder row, double v) {
    FastDecimal.append(row.append(','), v);
  }
}
