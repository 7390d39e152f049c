package io.ucache;

/**
 * A snapshot of one cache's refresh-ahead and stale-serving counters since it was created
 * ({@code refresh-after}, {@code stale-while-revalidate}, {@code stale-if-error}). All zero for a
 * cache that sets none of them, and, as {@link CacheStats} counts only errors then, with
 * {@code stats=false} except {@link #refreshFailureCount()}. Immutable and thread-safe.
 *
 * @param refreshCount background reloads that stored a new value (each is also a load in
 *     {@link CacheStats#loadSuccessCount()})
 * @param refreshFailureCount background reloads that failed: the loader threw, or returned a
 *     null the cache does not hold. The old value stays (also in
 *     {@link CacheStats#loadFailureCount()})
 * @param staleHitCount reads that returned an expired value within
 *     {@code stale-while-revalidate} while a reload ran (also counted as hits)
 * @param staleOnErrorCount reads that returned an expired value within {@code stale-if-error}
 *     because its reload failed, or failed a moment ago and is backing off (also counted as hits)
 */
public record RefreshStats(long refreshCount, long refreshFailureCount, long staleHitCount,
    long staleOnErrorCount) {

  /** All zero: a cache that neither refreshes nor serves stale values. */
  public static final RefreshStats NONE = new RefreshStats(0, 0, 0, 0);

  public RefreshStats {
    if (refreshCount < 0 || refreshFailureCount < 0 || staleHitCount < 0
        || staleOnErrorCount < 0) {
      throw new IllegalArgumentException("counters cannot be negative");
    }
  }
}
