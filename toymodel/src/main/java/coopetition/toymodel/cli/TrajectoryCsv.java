package coopetition.toymodel.cli;

import coopetition.io.AtomicFiles;
import coopetition.toymodel.ToyVector;
import coopetition.toymodel.Trajectory;
import coopetition.toymodel.VectorTrace;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes a trajectory as CSV: t, loss, l1, l2, cost, then per vector norm, grad_norm, cos_dist, dist. */
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
        row.append(num(tr.t()[i])).append(',').append(tr.loss()[i]).append(',').append(tr.l1()[i])
            .append(',').append(tr.l2()[i]).append(',').append(tr.cost()[i]);
        if (tr.hasProgress()) {
          for (ToyVector v : ToyVector.values()) {
            VectorTrace p = tr.progress().get(v);
            row.append(',').append(p.norm()[i]).append(',').append(p.gradNorm()[i])
                .append(',').append(p.cosineDistance()[i]).append(',').append(p.distance()[i]);
          }
        }
        w.write(row.append('\n').toString());
      }
      w.flush();
    });
  }

  /** Whole numbers without a trailing ".0", so times read as steps. */
  static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
