package io.ucache.spi;

import io.ucache.CacheStats;
import io.ucache.NearStats;
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

  /**
   * The counters, with {@code nearHits} and {@code nearMisses}: the near cache's copies served
   * as the cache's hits and misses, which it counted for both.
   */
  CacheStats snapshot(long engineEvictions, NearStats near, long nearHits, long nearMisses) {
    if (!enabled) {
      return new CacheStats(0, 0, 0, 0, 0, 0, errors.sum(), rejected.sum(), near);
    }
    return new CacheStats(hits.sum() + nearHits, misses.sum() + nearMisses, loadSuccesses.sum(),
        loadFailures.sum(), loadNanos.sum(), evictions.sum() + engineEvictions, errors.sum(),
        rejected.sum(), near);
  }
}
