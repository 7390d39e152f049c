package io.ucache.jcache;

import java.util.concurrent.locks.Lock;
import java.util.function.LongSupplier;
import javax.cache.event.EventType;
import javax.cache.expiry.ExpiryPolicy;
import org.jspecify.annotations.Nullable;

/**
 * A cache's entries as JSR-107 sees them, over its {@link EntryStore}: an entry past its
 * deadline is gone (found by any operation, it is removed and an {@code EXPIRED} event sent);
 * a creation, update or access applies the expiry policy; each change sends its event. Values
 * are copied in and out when the cache stores by value. Callers hold the key's {@link #lock}
 * around each operation that may change it, so the operations on one key are atomic in this JVM
 * and, on a shared engine with key leases, across processes ({@link KeyLocks}); a read that
 * changes nothing holds {@link #lockForRead} and reads with {@link #liveForRead}. Thread-safe.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class Entries<K, V> {

  private final JCache<K, V> source;
  private final EntryStore store;
  private final Copier copier;
  private final ExpiryRules expiry;
  private final EventDispatcher<K, V> events;
  private final LongSupplier clock;
  private final KeyLocks locks;
  /** Whether a read holds only this JVM's lock: shared engine, reads that never write. */
  private final boolean readsLockLocally;

  Entries(JCache<K, V> source, EntryStore store, Copier copier, ExpiryRules expiry,
      EventDispatcher<K, V> events, LongSupplier clock, boolean readsThrough) {
    this.source = source;
    this.store = store;
    this.copier = copier;
    this.expiry = expiry;
    this.events = events;
    this.clock = clock;
    this.locks = store.newKeyLocks();
    this.readsLockLocally =
        locks.acrossProcesses() && !readsThrough && !expiry.mayChangeOnAccess();
  }

  /** The lock that orders the operations on {@code key}, for one that may change it. */
  Lock lock(Object key) {
    return locks.exclusive(key);
  }

  /**
   * The lock of {@code key} for a read ({@code get}, {@code containsKey}, iteration): when reads
   * cannot change entries (no read-through, no access expiry) on a shared engine, this JVM's
   * alone, which spares a read the lease's round trips; otherwise {@link #lock}.
   */
  Lock lockForRead(Object key) {
    return readsLockLocally ? locks.local(key) : locks.exclusive(key);
  }

  /**
   * {@link #live} for a caller holding {@link #lockForRead}: when that lock is this JVM's alone,
   * an expired entry is a miss left in place (the engine's per-entry expiry, or the next write,
   * removes it), with no event.
   */
  @Nullable Expirable liveForRead(K key, long now) {
    if (!readsLockLocally) {
      return live(key, now);
    }
    Expirable entry = store.get(key);
    return entry == null || entry.isExpired(now) ? null : entry;
  }

  long now() {
    return clock.getAsLong();
  }

  /** The entry of {@code key} if there is one and it has not expired; an expired one goes. */
  @Nullable Expirable live(K key, long now) {
    Expirable entry = store.get(key);
    if (entry == null || !entry.isExpired(now)) {
      return entry;
    }
    store.remove(key);
    publish(EventType.EXPIRED, key, entry, entry);
    return null;
  }

  /** The value of {@code entry}, as a caller gets it (a copy when storing by value). */
  @SuppressWarnings("unchecked")
  V valueOf(Expirable entry) {
    return (V) copier.copy(entry.value());
  }

  /** {@code entry} of {@code key} was read at {@code now}: the policy's access expiry applies. */
  void accessed(K key, Expirable entry, long now) {
    long deadline = expiry.onAccess(now);
    if (deadline == ExpiryRules.UNCHANGED || deadline == entry.expireAtMillis()) {
      return;
    }
    if (deadline <= now) {
      store.remove(key); // expired by this access: it was served, and is gone for the next
      publish(EventType.EXPIRED, key, entry, entry);
    } else {
      store.put(key, entry.withExpiry(deadline), now);
    }
  }

  /**
   * Creates the entry of absent {@code key}; false if the policy's creation expiry is zero (the
   * entry is then not stored, as if it expired at once).
   */
  boolean create(K key, V value, long now) {
    long deadline = expiry.onCreation(now);
    if (deadline <= now) {
      return false;
    }
    Expirable entry = new Expirable(copier.copy(value), deadline);
    store.put(copier.copy(key), entry, now);
    publish(EventType.CREATED, key, entry, null);
    return true;
  }

  /**
   * Replaces {@code old}, the live entry of {@code key}, with {@code value}; false if the
   * policy's update expiry is zero (the entry then expires: removed).
   */
  boolean update(K key, Expirable old, V value, long now) {
    long deadline = expiry.onUpdate(now);
    if (deadline == ExpiryRules.UNCHANGED) {
      deadline = old.expireAtMillis();
    }
    if (deadline <= now) {
      store.remove(key);
      publish(EventType.EXPIRED, key, old, old);
      return false;
    }
    Expirable entry = new Expirable(copier.copy(value), deadline);
    store.put(key, entry, now);
    publish(EventType.UPDATED, key, entry, old);
    return true;
  }

  /** Removes {@code old}, the live entry of {@code key}. */
  void delete(K key, Expirable old) {
    store.remove(key);
    publish(EventType.REMOVED, key, old, old);
  }

  /** Every entry goes, with no event (as {@code Cache.clear()}). */
  void clear() {
    store.clear();
  }

  /** The keys stored now. */
  java.util.List<Object> keys() {
    return store.keys();
  }

  boolean keepsReferences() {
    return store.keepsReferences();
  }

  ExpiryPolicy expiryPolicy() {
    return expiry.policy();
  }

  EntryStore store() {
    return store;
  }

  /** {@code value} is what a listener sees: the new value, or for a removal the old one. */
  private void publish(EventType type, K key, Expirable value, @Nullable Expirable old) {
    if (events.hasListeners()) {
      events.publish(new JCacheEntryEvent<>(source, type, key, valueOf(value),
          old == null ? null : valueOf(old), old != null));
    }
  }
}
