package coopetition.comparison.fit;

import coopetition.common.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The fit's worker threads. Results come back in the order the tasks were given, whatever order
 * the threads finish in, so a fit does not depend on thread timing.
 */
final class Workers implements AutoCloseable {
  private final ExecutorService pool;

  Workers(int threads) {
    pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "coop-fit");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Runs every task and returns their results in task order.
   *
   * @param progressName label of a progress bar on stderr, or null for none
   * @param unit what one task is called on that bar
   */
  <T> List<T> runAll(List<Callable<T>> tasks, String progressName, String unit) {
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> t : tasks) {
      futures.add(pool.submit(t));
    }
    List<T> out = new ArrayList<>();
    Progress bar = progressName == null ? null : Progress.start(progressName, tasks.size(), unit);
    try {
      for (Future<T> f : futures) {
        out.add(f.get());
        if (bar != null) {
          bar.stepBy(1);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("fit interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
    return out;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
