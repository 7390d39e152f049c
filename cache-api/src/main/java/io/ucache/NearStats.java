package io.ucache;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one near cache's counters since its cache was created ({@code near.enabled}):
 * what the in-process copy served, what it had to read from the engine, what the engine's feed
 * of changes told it, and how long those changes took to arrive. All zero for a cache without a
 * near cache. Immutable and thread-safe.
 *
 * <p>With {@code stats=false} only flushes are counted (they tell of failures), as
 * {@link CacheStats} then counts only errors.
 *
 * @param hitCount reads served from the near copy, without a call to the engine (also counted
 *     in {@link CacheStats#hitCount()} or, for a remembered miss, {@link CacheStats#missCount()})
 * @param missCount reads that went to the engine: no copy, or the feed was not live
 * @param invalidationCount changes of single keys the feed delivered (this process's own writes
 *     come back too)
 * @param flushCounts how often every copy was dropped, by cause; every cause is present
 * @param invalidationLagCount this process's writes whose invalidation came back through the feed
 *     and were timed (a sample: at most 1024 writes in flight are timed at once)
 * @param totalInvalidationLagNanos the sum, over those writes, of the time from the engine
 *     acknowledging the write to its invalidation arriving: the time a change takes to reach
 *     every process's feed, measured where a clock can see both ends
 * @param maxInvalidationLagNanos the longest of those times
 */
public record NearStats(
    long hitCount,
    long missCount,
    long invalidationCount,
    Map<FlushCause, Long> flushCounts,
    long invalidationLagCount,
    long totalInvalidationLagNanos,
    long maxInvalidationLagNanos) {

  /** Why a near cache dropped every copy at once. */
  public enum FlushCause {
    /** The feed may miss changes (its connection dropped, the server restarted, failed over). */
    FEED_LOST,
    /** The feed delivers changes again: what happened while it was lost is unknown. */
    FEED_RESTORED,
    /** This process cleared the cache. */
    CLEAR,
    /** The feed said many keys changed at once: another process cleared, or a foreign key. */
    ALL_CHANGED
  }

  /** A cache without a near cache: all zero. */
  public static final NearStats NONE = new NearStats(0, 0, 0, Map.of(), 0, 0, 0);

  public NearStats {
    Objects.requireNonNull(flushCounts, "flushCounts");
    if (hitCount < 0 || missCount < 0 || invalidationCount < 0 || invalidationLagCount < 0
        || totalInvalidationLagNanos < 0 || maxInvalidationLagNanos < 0
        || flushCounts.values().stream().anyMatch(count -> count < 0)) {
      throw new IllegalArgumentException("counters cannot be negative");
    }
    EnumMap<FlushCause, Long> all = new EnumMap<>(FlushCause.class);
    for (FlushCause cause : FlushCause.values()) {
      all.put(cause, flushCounts.getOrDefault(cause, 0L));
    }
    flushCounts = Collections.unmodifiableMap(all);
  }

  /** Every flush, whatever its cause. */
  public long flushCount() {
    return flushCounts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Mean time from a write's acknowledgement to its invalidation; zero when none was timed. */
  public Duration averageInvalidationLag() {
    return invalidationLagCount == 0 ? Duration.ZERO
        : Duration.ofNanos(totalInvalidationLagNanos / invalidationLagCount);
  }
}
