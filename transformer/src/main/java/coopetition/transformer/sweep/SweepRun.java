package coopetition.transformer.sweep;

import java.util.List;
import java.util.Map;

/**
 * One run of a sweep: a grid point and a seed set.
 *
 * @param index position in the manifest (also the SLURM array task id)
 * @param id directory name under {@code runs/}, e.g. {@code classes-4096_s1}
 * @param preset the preset the run starts from: the sweep's, or the grid point's {@code preset} value
 * @param point the grid point (swept key to value)
 * @param seedSet the seed set
 * @param assignments every {@code key=value} given to {@code coop train --set} (sweep sets, grid point, seeds)
 * @param settings the run's complete settings
 * @param finalSeqs sequences seen at the run's final eval: the run is done once metrics.csv reaches it
 */
public record SweepRun(int index, String id, String preset, Map<String, String> point, SeedSet seedSet, List<String> assignments,
    Map<String, String> settings, long finalSeqs) {

  public SweepRun {
    point = Map.copyOf(point);
    assignments = List.copyOf(assignments);
    settings = Map.copyOf(settings);
  }

  /** This run at another position in its sweep (a grown sweep keeps earlier runs' indices). */
  public SweepRun withIndex(int i) {
    return i == index ? this : new SweepRun(i, id, preset, point, seedSet, assignments, settings, finalSeqs);
  }

  /** The grid point as text, e.g. {@code classes=4096 lr=3e-4}; "(base)" for a sweep without a grid. */
  public String pointLabel(List<GridAxis> axes) {
    StringBuilder sb = new StringBuilder();
    for (GridAxis a : axes) {
      sb.append(sb.length() == 0 ? "" : " ").append(a.key()).append('=').append(point.get(a.key()));
    }
    return sb.length() == 0 ? "(base)" : sb.toString();
  }
}
