package io.ucache.spi;

import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Whether an engine's invalidation feed is live, and what its near caches did: the state every
 * near cache of one engine shares. Near caches serve their copies only while the feed is live;
 * the engine marks it lost the moment it may miss a change, and restored once changes flow again
 * (each flushing every near cache, see {@link AbstractEngine#nearFeedLost}). Thread-safe.
 */
final class NearFeed {

  private volatile boolean live;
  /** Null until the feed fails once: starting is not a failure a health check reports. */
  private volatile @Nullable String lostBecause;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder invalidations = new LongAdder();
  private final LongAdder flushes = new LongAdder();

  boolean isLive() {
    return live;
  }

  /** Why the feed is not live, or {@code null} while it is. */
  @Nullable String lostBecause() {
    return lostBecause;
  }

  void lost(String cause) {
    boolean wasLive = live;
    live = false;
    lostBecause = cause;
    if (wasLive) {
      flushes.increment();
    }
  }

  void restored() {
    lostBecause = null;
    live = true;
    flushes.increment();
  }

  void countHit() {
    hits.increment();
  }

  void countMiss() {
    misses.increment();
  }

  void countInvalidation() {
    invalidations.increment();
  }

  /** The counters: near hits, near misses, invalidations received, flushes. */
  long[] counts() {
    return new long[] {hits.sum(), misses.sum(), invalidations.sum(), flushes.sum()};
  }
}
