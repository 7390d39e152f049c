package io.ucache;

import java.time.Duration;
import java.util.Objects;

/**
 * A snapshot of one cache's counters since it was created. Immutable and thread-safe. Engines
 * that do not count something report zero for it.
 *
 * @param hitCount lookups that found a value
 * @param missCount lookups that found nothing
 * @param loadSuccessCount loader calls that returned a value
 * @param loadFailureCount loader calls that threw
 * @param totalLoadTimeNanos time spent in loaders, successful or not
 * @param evictionCount entries removed by size limits or expiry (not explicit evicts)
 * @param errorCount engine failures: swallowed in {@link FailMode#OPEN}, thrown in
 *     {@link FailMode#CLOSED}; calls an open circuit breaker skipped are failures too; and stored
 *     entries that could not be read (foreign, damaged or of a changed class), dropped as misses
 * @param rejectedCount calls that skipped the engine because its circuit breaker was open (also
 *     counted in {@code errorCount})
 * @param near the near cache's counters ({@code near.enabled}); {@link NearStats#NONE} without
 * @param refresh refresh-ahead and stale-serving counters; {@link RefreshStats#NONE} without
 */
public record CacheStats(
    long hitCount,
    long missCount,
    long loadSuccessCount,
    long loadFailureCount,
    long totalLoadTimeNanos,
    long evictionCount,
    long errorCount,
    long rejectedCount,
    NearStats near,
    RefreshStats refresh) {

  /** All counters zero. */
  public static final CacheStats EMPTY = new CacheStats(0, 0, 0, 0, 0, 0, 0, 0);

  public CacheStats {
    Objects.requireNonNull(near, "near");
    Objects.requireNonNull(refresh, "refresh");
    if (hitCount < 0 || missCount < 0 || loadSuccessCount < 0 || loadFailureCount < 0
        || totalLoadTimeNanos < 0 || evictionCount < 0 || errorCount < 0 || rejectedCount < 0) {
      throw new IllegalArgumentException("counters cannot be negative");
    }
  }

  /** Counters of a cache that neither refreshes nor serves stale values. */
  public CacheStats(long hitCount, long missCount, long loadSuccessCount, long loadFailureCount,
      long totalLoadTimeNanos, long evictionCount, long errorCount, long rejectedCount,
      NearStats near) {
    this(hitCount, missCount, loadSuccessCount, loadFailureCount, totalLoadTimeNanos,
        evictionCount, errorCount, rejectedCount, near, RefreshStats.NONE);
  }

  /** Counters of a cache without a near cache. */
  public CacheStats(long hitCount, long missCount, long loadSuccessCount, long loadFailureCount,
      long totalLoadTimeNanos, long evictionCount, long errorCount, long rejectedCount) {
    this(hitCount, missCount, loadSuccessCount, loadFailureCount, totalLoadTimeNanos,
        evictionCount, errorCount, rejectedCount, NearStats.NONE);
  }

  /** Counters of an engine without a circuit breaker: {@code rejectedCount} zero. */
  public CacheStats(long hitCount, long missCount, long loadSuccessCount, long loadFailureCount,
      long totalLoadTimeNanos, long evictionCount, long errorCount) {
    this(hitCount, missCount, loadSuccessCount, loadFailureCount, totalLoadTimeNanos,
        evictionCount, errorCount, 0);
  }

  /** Hits plus misses. */
  public long requestCount() {
    return saturatedAdd(hitCount, missCount);
  }

  /** Hits divided by requests; 1.0 when there were no requests, as in Caffeine. */
  public double hitRate() {
    long requests = requestCount();
    return requests == 0 ? 1.0 : (double) hitCount / requests;
  }

  /** Loader calls, successful or not. */
  public long loadCount() {
    return saturatedAdd(loadSuccessCount, loadFailureCount);
  }

  /** Mean time of one loader call; zero when there were none. */
  public Duration averageLoadPenalty() {
    long loads = loadCount();
    return loads == 0 ? Duration.ZERO : Duration.ofNanos(totalLoadTimeNanos / loads);
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
