package coopetition.transformer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The spinning second worker: runs hand-offs on its own thread, after set-up, in order, and shuts down. */
class SecondWorkerTest {

  @Test
  void runsTasksOnItsThreadAfterSetUpAndAcrossParks() throws Exception {
    AtomicReference<String> setUpOn = new AtomicReference<>();
    SecondWorker w = new SecondWorker("test-worker", () -> setUpOn.set(Thread.currentThread().getName()));
    try {
      for (int i = 0; i < 200; i++) {
        int k = i;
        Future<String> f = w.submit(() -> Thread.currentThread().getName() + k);
        assertEquals("test-worker" + k, f.get());
        if (i % 50 == 0) {
          Thread.sleep(3); // longer than the spin: the worker parks and must wake for the next task
        }
      }
      assertEquals("test-worker", setUpOn.get());
      Future<?> failing = w.submit(() -> {
        throw new IllegalStateException("boom");
      });
      ExecutionException e = assertThrows(ExecutionException.class, failing::get);
      assertEquals("boom", e.getCause().getMessage());
    } finally {
      w.shutdownNow();
    }
    assertTrue(w.awaitTermination(5, TimeUnit.SECONDS));
    assertTrue(w.isTerminated());
    assertThrows(RejectedExecutionException.class, () -> w.submit(() -> 1));
  }
}
