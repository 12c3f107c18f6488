package coopetition.app.mech;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Ctrl-C / SIGTERM during a driver: the training in progress finishes its step and checkpoints, the driver
 * ends, and the same command continues later (finished children are skipped, the half-done one resumed).
 */
final class StopOnSignal implements AutoCloseable, BooleanSupplier {
  private final AtomicBoolean stop = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook = new Thread(() -> {
    stop.set(true);
    try {
      finished.await(120, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }, "coop-driver-interrupt");

  StopOnSignal() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  @Override
  public boolean getAsBoolean() {
    return stop.get();
  }

  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running; it returns once `finished` is counted down
    }
  }
}
