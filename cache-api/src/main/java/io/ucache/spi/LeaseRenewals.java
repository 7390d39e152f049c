package io.ucache.spi;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Renews leases held in a shared engine ({@link LoadLeases}) while their work runs: the template's
 * cluster-wide loads, and modules that hold a key's lease around an operation of their own. One
 * daemon thread for the JVM (renewing is a short call to the engine, a third of a lease time
 * apart). Thread-safe.
 */
public final class LeaseRenewals {

  private static final ScheduledExecutorService SCHEDULER =
      Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "ucache-lease-renewal");
        thread.setDaemon(true);
        return thread;
      });

  private LeaseRenewals() {}

  /**
   * Runs {@code renew} every {@code periodMillis} until it returns false (the lease is lost) or
   * the returned future is cancelled.
   */
  public static ScheduledFuture<?> every(long periodMillis, BooleanSupplier renew) {
    AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
    ScheduledFuture<?> future = SCHEDULER.scheduleAtFixedRate(() -> {
      if (!renew.getAsBoolean()) {
        ScheduledFuture<?> mine = self.get();
        if (mine != null) {
          mine.cancel(false);
        }
      }
    }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    self.set(future);
    return future;
  }
}
