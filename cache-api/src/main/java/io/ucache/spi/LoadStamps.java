package io.ucache.spi;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Tells a load whether an eviction of its key came while it ran, so that the eviction wins: the
 * load takes a {@link #stamp} before it reads the store, stores what it loaded, then asks
 * {@link #changedSince}; if so it removes what it stored (only if still the same), since the value
 * may predate the eviction. An eviction calls {@link #evicting} (or {@link #clearing}) before it
 * removes anything.
 *
 * <p>Why this order is enough: if the load's check sees no change, the eviction's mark came after
 * the check and so after the store, and its removal comes later still and removes the value. If
 * it sees a change, the load removes its own value (a miss is never wrong).
 *
 * <p>Keys share a fixed number of stripes, so an eviction of another key in the same stripe can
 * make a load skip keeping its value: that costs a later miss, never a stale read. Nothing is
 * registered per load and nothing is held, so the same stamps guard single-flight loads, bulk
 * loads and loads the caller runs itself (an {@code @UCache} method, a {@code CompletableFuture}).
 *
 * <p>Thread-safe; keys are never null.
 */
final class LoadStamps {

  private static final int STRIPES = 1024;

  private final AtomicLongArray evictions = new AtomicLongArray(STRIPES);
  private final AtomicLong clears = new AtomicLong();

  /** A stamp to take before reading the store for {@code key}. */
  long stamp(Object key) {
    // Both only grow, so their sum changes exactly when either does.
    return clears.get() + evictions.get(stripe(key));
  }

  /** Whether {@code key} was evicted, or the cache cleared, since {@code stamp} was taken. */
  boolean changedSince(Object key, long stamp) {
    return stamp(key) != stamp;
  }

  /** Marks {@code key} as evicted; call before removing it from the store. */
  void evicting(Object key) {
    evictions.incrementAndGet(stripe(key));
  }

  /** Marks every key as evicted; call before clearing the store. */
  void clearing() {
    clears.incrementAndGet();
  }

  private static int stripe(Object key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }
}
