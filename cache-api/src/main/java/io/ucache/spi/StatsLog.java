package io.ucache.spi;

import io.ucache.CacheStats;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code stats-log-interval}: every interval, one INFO line per cache of an engine on the
 * {@code io.ucache.stats} logger, with what the cache did in that interval (gets and hit ratio,
 * loads and their failures and average time, evictions, errors), as JetCache's operators are used
 * to reading. One daemon thread for every engine of the JVM; an engine is held weakly, so a
 * leaked engine is still found by its leak guard, and its line stops once it is closed or
 * collected. Thread-safe.
 */
final class StatsLog {

  private static final System.Logger LOG = System.getLogger("io.ucache.stats");
  private static final ScheduledExecutorService SCHEDULER =
      Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "ucache-stats-log");
        thread.setDaemon(true);
        return thread;
      });

  private StatsLog() {}

  /** Logs {@code engine}'s caches every {@code interval} until it closes; cancel to stop. */
  static ScheduledFuture<?> start(AbstractEngine engine, Duration interval) {
    long millis = Math.max(1, interval.toMillis());
    WeakReference<AbstractEngine> held = new WeakReference<>(engine);
    // Read and written by the scheduler's one thread only.
    Map<String, CacheStats> previous = new HashMap<>();
    AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
    ScheduledFuture<?> future = SCHEDULER.scheduleAtFixedRate(() -> {
      AbstractEngine current = held.get();
      if (current == null || current.isClosed()) {
        ScheduledFuture<?> mine = self.get();
        if (mine != null) {
          mine.cancel(false);
        }
        return;
      }
      for (String name : current.cacheNames()) {
        AbstractCache<?, ?, ?> cache = current.openCache(name);
        if (cache != null) {
          CacheStats now = cache.stats();
          LOG.log(System.Logger.Level.INFO, line(current.name(), name, interval,
              now, previous.getOrDefault(name, CacheStats.EMPTY)));
          previous.put(name, now);
        }
      }
    }, millis, millis, TimeUnit.MILLISECONDS);
    self.set(future);
    return future;
  }

  /** The line of one cache: what changed from {@code before} to {@code now}. */
  static String line(String engine, String cache, Duration interval, CacheStats now,
      CacheStats before) {
    long hits = now.hitCount() - before.hitCount();
    long gets = hits + now.missCount() - before.missCount();
    long loads = now.loadCount() - before.loadCount();
    long failed = now.loadFailureCount() - before.loadFailureCount();
    long loadNanos = now.totalLoadTimeNanos() - before.totalLoadTimeNanos();
    return String.format(Locale.ROOT, "Cache '%s' of the %s engine, last %s: %d gets, %d hits "
        + "(%s), %d loads (%d failed, %.2f ms average), %d evictions, %d errors", cache, engine,
        interval, gets, hits,
        gets == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * hits / gets),
        loads, failed, loads == 0 ? 0.0 : loadNanos / 1e6 / loads,
        now.evictionCount() - before.evictionCount(), now.errorCount() - before.errorCount());
  }
}
