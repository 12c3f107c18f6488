package coopetition.transformer.train;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread of {@code workers = 2}: runs what the training thread hands it, twice a step (half a batch,
 * half of Adam). A step at batch 32 takes a few milliseconds, and waking a parked thread costs tens of
 * microseconds on each side, so both the worker waiting for work and the training thread waiting for a
 * result spin for up to {@link #SPIN_NANOS} before they park. The spin only burns a core that the run has
 * asked for anyway ({@code workers = 2} is for two free cores).
 */
final class SecondWorker extends AbstractExecutorService {
  static final long SPIN_NANOS = 200_000;

  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean shutdown;

  /** Starts the worker; {@code setUp} runs first on its thread (libtorch's per-thread settings). */
  SecondWorker(String name, Runnable setUp) {
    thread = new Thread(() -> {
      setUp.run();
      loop();
    }, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    long idleSince = System.nanoTime();
    while (!shutdown) {
      Runnable r = tasks.poll();
      if (r != null) {
        r.run();
        idleSince = System.nanoTime();
      } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(this, 1_000_000);
      }
    }
  }

  @Override
  public void execute(Runnable command) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("the second worker has shut down");
    }
    tasks.add(command);
    LockSupport.unpark(thread);
  }

  @Override
  protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
    return new SpinningFuture<>(callable);
  }

  @Override
  protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
    return new SpinningFuture<>(java.util.concurrent.Executors.callable(runnable, value));
  }

  /** A future whose {@code get} spins briefly before it parks. */
  private static final class SpinningFuture<T> extends FutureTask<T> {
    SpinningFuture(Callable<T> c) {
      super(c);
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
      long start = System.nanoTime();
      while (!isDone() && System.nanoTime() - start < SPIN_NANOS) {
        Thread.onSpinWait();
      }
      return super.get();
    }
  }

  @Override
  public void shutdown() {
    shutdown = true;
    LockSupport.unpark(thread);
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown();
    List<Runnable> left = new java.util.ArrayList<>(tasks);
    tasks.clear();
    return left;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown && !thread.isAlive();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    thread.join(unit.toMillis(timeout));
    return !thread.isAlive();
  }
}
