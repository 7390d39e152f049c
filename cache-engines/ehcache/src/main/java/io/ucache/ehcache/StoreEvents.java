package io.ucache.ehcache;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.ehcache.event.CacheEvent;
import org.ehcache.event.CacheEventListener;
import org.ehcache.event.EventType;

/**
 * Counts what Ehcache does to one cache's entries, from its public events (fired synchronously,
 * in the thread of the operation): the entries it evicted (its disk tier full) or found expired,
 * and, for {@code max-size}, how many entries the cache holds. Ehcache fires no event for
 * {@code clear()}: the cache recounts then ({@link #recount}).
 *
 * <p>Like Ehcache's own statistics, the count includes entries that expired but that Ehcache has
 * not looked at since. Thread-safe.
 */
final class StoreEvents implements CacheEventListener<Object, StoredValue> {

  /** The events counted: every change in the number of entries. */
  static final Set<EventType> TYPES = EnumSet.of(EventType.CREATED, EventType.REMOVED,
      EventType.EVICTED, EventType.EXPIRED);

  private final LongAdder removedByEhcache = new LongAdder();
  private final AtomicLong entries = new AtomicLong();

  @Override
  public void onEvent(CacheEvent<?, ? extends StoredValue> event) {
    switch (event.getType()) {
      case CREATED -> entries.incrementAndGet();
      case REMOVED -> entries.decrementAndGet();
      case EVICTED, EXPIRED -> {
        entries.decrementAndGet();
        removedByEhcache.increment();
      }
      default -> { } // UPDATED: as many entries as before
    }
  }

  /** Entries Ehcache evicted (its disk tier full) or removed as expired. */
  long evictedOrExpired() {
    return removedByEhcache.sum();
  }

  /** How many entries the cache holds, expired ones not yet noticed included. */
  long entries() {
    return entries.get();
  }

  /** Sets the count from an iteration of the store: at open, and after a clear. */
  void recount(long counted) {
    entries.set(counted);
  }
}
