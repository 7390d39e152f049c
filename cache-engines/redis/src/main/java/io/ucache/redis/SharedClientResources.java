package io.ucache.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The one Lettuce {@link ClientResources} (event loops, timer, computation pool) of the JVM,
 * shared by every open redis engine and counted: the first {@link #acquire()} builds it, the
 * {@link Lease#close()} of the last lease shuts it down and waits for its threads. Building one
 * costs 12 to 119 ms and about four threads, once per JVM now instead of once per engine.
 *
 * <p>Reference-counted under one lock, which is also held while the last lease shuts the
 * resources down, so an engine that opens meanwhile waits and then builds fresh ones, never
 * gets resources that are shutting down. Thread-safe. <b>Nulls:</b> none.
 */
final class SharedClientResources {

  /** Event-loop threads for all engines together: Redis I/O is light, the loops never block. */
  private static final int IO_THREADS = 2;
  private static final Object LOCK = new Object();
  private static @Nullable ClientResources shared;
  private static int leases;

  private SharedClientResources() {}

  /** A lease on the shared resources, building them if no engine holds any. */
  static Lease acquire() {
    synchronized (LOCK) {
      ClientResources resources = shared;
      if (resources == null) {
        resources = DefaultClientResources.builder()
            .ioThreadPoolSize(IO_THREADS)
            .computationThreadPoolSize(2)
            // Back soon after a short outage, never more than 5s apart after a long one.
            .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(5), 2,
                TimeUnit.MILLISECONDS))
            .build();
        shared = resources;
      }
      leases++;
      return new Lease(resources);
    }
  }

  /** How many leases are open now (for tests). */
  static int leases() {
    synchronized (LOCK) {
      return leases;
    }
  }

  private static void release(Duration wait) {
    synchronized (LOCK) {
      if (--leases > 0) {
        return;
      }
      ClientResources resources = shared;
      shared = null;
      if (resources == null) {
        return;
      }
      try {
        resources.shutdown(0, wait.toMillis(), TimeUnit.MILLISECONDS)
            .get(wait.toMillis() * 2, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        // Threads that do not stop in time are daemon threads; nothing more can be done.
      }
    }
  }

  /** One engine's hold on the shared resources. Closing it twice releases once. Thread-safe. */
  static final class Lease implements AutoCloseable {
    private final ClientResources resources;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Lease(ClientResources resources) {
      this.resources = resources;
    }

    ClientResources resources() {
      return resources;
    }

    /** Releases this lease; the last one shuts the resources down, waiting up to {@code wait}. */
    void close(Duration wait) {
      if (closed.compareAndSet(false, true)) {
        release(wait);
      }
    }

    @Override
    public void close() {
      close(Duration.ofSeconds(2));
    }
  }
}
