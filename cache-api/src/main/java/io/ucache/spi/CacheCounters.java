package io.ucache.spi;

import io.ucache.CacheStats;
import io.ucache.NearStats;
import io.ucache.RefreshStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one {@link AbstractCache}. Hits, misses, loads and evictions are counted only
 * with {@code stats=true}; errors and rejected calls always, since they tell of failures and cost
 * nothing on the paths that succeed. Thread-safe.
 */
final class CacheCounters {

  private final boolean enabled;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder loadSuccesses = new LongAdder();
  private final LongAdder loadFailures = new LongAdder();
  private final LongAdder loadNanos = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder refreshes = new LongAdder();
  private final LongAdder refreshFailures = new LongAdder();
  private final LongAdder staleHits = new LongAdder();
  private final LongAdder staleOnError = new LongAdder();

  CacheCounters(boolean enabled) {
    this.enabled = enabled;
  }

  void hit() {
    if (enabled) {
      hits.increment();
    }
  }

  void miss() {
    if (enabled) {
      misses.increment();
    }
  }

  void hitsAndMisses(int hitCount, int missCount) {
    if (enabled) {
      hits.add(hitCount);
      misses.add(missCount);
    }
  }

  void load(boolean success, long startNanos) {
    if (enabled) {
      (success ? loadSuccesses : loadFailures).increment();
      loadNanos.add(System.nanoTime() - startNanos);
    }
  }

  void evictions(long count) {
    if (enabled) {
      evictions.add(count);
    }
  }

  void error() {
    errors.increment();
  }

  void rejected() {
    rejected.increment();
  }

  /** A background reload stored its value ({@code refreshed}) or failed. */
  void refreshed(boolean refreshed) {
    if (!refreshed) {
      refreshFailures.increment();
    } else if (enabled) {
      refreshes.increment();
    }
  }

  /** A read returned an expired value while it is revalidated: a hit. */
  void servedStale() {
    if (enabled) {
      hits.increment();
      staleHits.increment();
    }
  }

  /** A read returned an expired value since its reload failed: a hit. */
  void servedStaleOnError() {
    if (enabled) {
      hits.increment();
      staleOnError.increment();
    }
  }

  /**
   * The counters, with {@code nearHits} and {@code nearMisses}: the near cache's copies served
   * as the cache's hits and misses, which it counted for both.
   */
  CacheStats snapshot(long engineEvictions, NearStats near, long nearHits, long nearMisses) {
    if (!enabled) {
      return new CacheStats(0, 0, 0, 0, 0, 0, errors.sum(), rejected.sum(), near,
          refreshFailures.sum() == 0 ? RefreshStats.NONE
              : new RefreshStats(0, refreshFailures.sum(), 0, 0));
    }
    return new CacheStats(hits.sum() + nearHits, misses.sum() + nearMisses, loadSuccesses.sum(),
        loadFailures.sum(), loadNanos.sum(), evictions.sum() + engineEvictions, errors.sum(),
        rejected.sum(), near, new RefreshStats(refreshes.sum(), refreshFailures.sum(),
            staleHits.sum(), staleOnError.sum()));
  }
}
