package io.ucache.spi;

import io.ucache.BulkLoader;
import io.ucache.CacheLoadException;
import io.ucache.CacheLoader;
import io.ucache.CachedValue;
import io.ucache.EngineUnavailableException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The loads of one {@link AbstractCache}: single-flight loads after a miss, bulk loads, and the
 * storing of loaded values under the template's rule that a write racing a load keeps its value
 * and an eviction racing a load wins ({@link LoadStamps}). Thread-safe.
 */
final class CacheLoading<K, V, S> {

  private final AbstractCache<K, V, S> cache;
  private final SingleFlight<K> loads;
  private final LoadStamps stamps = new LoadStamps();
  /** A bulk load's outcome for a key its loader left out (so a waiter for it loads nothing). */
  private static final Object LEFT_OUT = new Object();
  /** Loads under the engine's leases, when it offers them; set once, before sharing. */
  private @Nullable ClusterLoads<K, V, S> leased;
  /** Whether single-flight loads take the lease ({@code single-flight.scope=cluster}). */
  private boolean clusterWide;

  CacheLoading(AbstractCache<K, V, S> cache) {
    this.cache = cache;
    this.loads = new SingleFlight<>(cache.config().loadTimeout().orElse(null));
  }

  /**
   * The loading half of {@link #get(Object, CacheLoader)}, for a caller that has already looked
   * {@code key} up and counted the miss (an interceptor): it counts no second miss. Once per key
   * at a time in this JVM; a loaded value is stored unless a write raced it (that value is
   * returned instead) and is removed again if an eviction raced it.
   */
  @SuppressWarnings("unchecked")
  @Nullable V loadAfterMiss(K key, CacheLoader<? super K, ? extends V> loader) {
    Object outcome = loads.run(key, () -> {
      long stamp = stamps.stamp(key);
      // A caller that missed just before the previous load stored its value finds it here.
      CachedValue<V> current = cache.visibleNow(key);
      if (current != null) {
        return current.value();
      }
      ClusterLoads<K, V, S> acrossProcesses = leased;
      return clusterWide && acrossProcesses != null ? acrossProcesses.load(key, loader, stamp)
          : loadAndStore(key, loader, stamp);
    });
    // A bulk load this call waited for may have had nothing for the key.
    return outcome == LEFT_OUT ? null : (V) outcome;
  }

  /**
   * Gives loads the engine's leases: background refreshes take them, so one process at a time
   * refreshes a key; with {@code clusterWide}, single-flight loads reach every process too.
   */
  void useLeases(LoadLeases<K, S> leases, boolean clusterWide) {
    this.leased = new ClusterLoads<>(cache, this, leases);
    this.clusterWide = clusterWide;
  }

  /** Loads under the engine's leases, or null if it offers none. */
  @Nullable ClusterLoads<K, V, S> leased() {
    return leased;
  }

  /** Runs the loader and stores what it returns, as {@link #storeLoaded} does. */
  @Nullable V loadAndStore(K key, CacheLoader<? super K, ? extends V> loader, long stamp) {
    V value = callLoader(key, loader);
    return value == null && !cache.nullValues ? null : storeLoaded(key, value, stamp);
  }

  /**
   * A stamp for a load that the caller runs itself ({@code @UCache} without single-flight, a
   * method returning a future): take it before looking the key up, and pass it to
   * {@link #storeLoaded} with the result, so that an eviction during the load wins.
   */
  long stamp(K key) {
    return stamps.stamp(key);
  }

  void evicting(K key) {
    stamps.evicting(key);
  }

  void clearing() {
    stamps.clearing();
  }

  /**
   * Stores a value loaded since {@code stamp} was taken: only if {@code key} is absent or holds
   * what this cache cannot show (a hidden null, another type's entry); a value written meanwhile
   * is newer, and is returned instead; and not at all if {@code key} was evicted or the cache
   * cleared meanwhile (the value may predate that).
   *
   * @return what callers of the load should see: the loaded value, or the newer one
   */
  @Nullable V storeLoaded(K key, @Nullable V value, long stamp) {
    return storeLoaded(key, value, stamp, cache::writeIfAbsent);
  }

  /**
   * {@link #storeLoaded(Object, Object, long)} with {@code writeIfAbsent} as the engine's
   * write-if-absent (a write fenced by a lease, which may throw to say it was lost).
   */
  @SuppressWarnings("unchecked")
  @Nullable V storeLoaded(K key, @Nullable V value, long stamp,
      BiFunction<K, S, @Nullable S> writeIfAbsent) {
    cache.checkOpen();
    S fresh = cache.encodeWrite(key, value);
    try {
      for (int race = 0; race < AbstractCache.MAX_RACES; race++) {
        S previous = writeIfAbsent.apply(key, fresh);
        if (previous == null) {
          return stored(key, value, fresh, stamp);
        }
        Object raced = cache.decodeOrMark(key, previous);
        if (AbstractCache.isValue(raced)) {
          return (V) raced;
        }
        if (raced == AbstractCache.NULL_VALUE && cache.nullValues) {
          return null;
        }
        if (AbstractCache.isUnreadable(raced)) {
          cache.dropIfUnreadable(key, previous, raced);
        } else if (cache.replace(key, previous, fresh)) {
          // A hidden null, or an entry of another type: an older shape of the class or another
          // codec-version (a deploy ago), or a process that declares the cache otherwise. It is
          // a miss here, so the load takes its place, or the key would stay uncached.
          return stored(key, value, fresh, stamp);
        }
      }
    } catch (EngineUnavailableException e) {
      cache.changed(key);
      cache.failed(e);
    }
    return value;
  }

  /**
   * After {@code fresh} was stored for {@code key}: removed again if an eviction or clear came
   * since {@code stamp}, else kept as the near copy too.
   */
  private @Nullable V stored(K key, @Nullable V value, S fresh, long stamp) {
    if (stamps.changedSince(key, stamp)) {
      cache.removeIfSame(key, fresh);
      cache.changed(key);
    } else {
      cache.storedLoaded(key, value);
    }
    return value;
  }

  @Nullable V callLoader(K key, CacheLoader<? super K, ? extends V> loader) {
    CacheObservations observing = cache.observations();
    CacheObservations.Started observed = observing == null ? null : observing.startLoad(key);
    long start = System.nanoTime();
    boolean success = false;
    Throwable thrown = null;
    try {
      V value = loader.load(key);
      // A null that cannot be cached counts as a failed load, as Caffeine counts it.
      success = value != null || cache.nullValues;
      return value;
    } catch (UncachedValue e) {
      success = true; // a value, for the callers only
      throw e;
    } catch (RuntimeException | Error e) {
      thrown = e;
      throw e;
    } catch (Exception e) {
      thrown = e;
      throw new CacheLoadException(key, e);
    } finally {
      cache.counters.load(success, start);
      stopLoad(observed, success, thrown);
    }
  }

  /** Ends a load's observation, if any, with its result. */
  private static void stopLoad(CacheObservations.@Nullable Started observed, boolean success,
      @Nullable Throwable thrown) {
    if (observed != null) {
      if (thrown != null) {
        observed.failed(thrown, CacheObservations.FAILURE);
      }
      observed.result(success ? CacheObservations.SUCCESS : CacheObservations.FAILURE);
      observed.stop();
    }
  }

  /**
   * Stores {@code value}, reloaded since {@code stamp} by a refresh of the entry written at
   * {@code seenWriteTime}, only if {@code key} still holds that entry: a write, an eviction or
   * another refresh meanwhile wins, and an eviction during the reload removes it again.
   *
   * @return whether the reloaded value was stored and kept
   * @throws EngineUnavailableException if the engine fails
   */
  boolean replaceIfWrittenAt(K key, long seenWriteTime, @Nullable V value, long stamp) {
    S fresh = cache.encodeWrite(key, value);
    S current = cache.read(key);
    if (current == null || !(cache.decodeRaw(key, current) instanceof TimedValue seen)
        || seen.writeTime != seenWriteTime || !cache.replace(key, current, fresh)) {
      return false;
    }
    if (stamps.changedSince(key, stamp)) {
      cache.removeIfSame(key, fresh);
      cache.changed(key);
      return false;
    }
    cache.storedLoaded(key, value);
    return true;
  }

  /**
   * Whether {@code key} still holds the entry written at {@code seenWriteTime}: a refresh about to
   * run its loader checks it, since a reader that saw the entry just before another refresh
   * replaced it would otherwise run the loader once more for nothing.
   *
   * @throws EngineUnavailableException if the engine fails
   */
  boolean stillWrittenAt(K key, long seenWriteTime) {
    S current = cache.read(key);
    return current != null && cache.decodeRaw(key, current) instanceof TimedValue seen
        && seen.writeTime == seenWriteTime;
  }

  Map<K, V> getAll(List<K> asked, BulkLoader<K, V> loader) {
    Map<K, Long> stamped = stampAll(asked);
    Map<K, V> found = cache.findAll(asked);
    cache.counters.hitsAndMisses(found.size(), asked.size() - found.size());
    return found.size() == asked.size() ? Collections.unmodifiableMap(found)
        : loadMissing(asked, stamped, found, loader);
  }

  /** A load stamp for each of {@code keys}, taken before they are looked up. */
  Map<K, Long> stampAll(Collection<K> keys) {
    Map<K, Long> stamped = new LinkedHashMap<>();
    keys.forEach(key -> stamped.put(key, stamps.stamp(key)));
    return stamped;
  }

  /**
   * The rest of {@link #getAll}: the keys of {@code asked} not in {@code found} loaded in one
   * call of {@code loader} and stored as {@link #storeLoaded} stores one; the result in the
   * order asked, with the keys the loader left out absent. Once per key at a time in this JVM:
   * keys another caller is loading now are not asked of the loader; their values are awaited.
   */
  Map<K, V> loadMissing(List<K> asked, Map<K, Long> stamped, Map<K, V> found,
      BulkLoader<K, V> loader) {
    Set<K> missing = new LinkedHashSet<>(asked);
    missing.removeAll(found.keySet());
    Map<K, @Nullable Object> outcome = loads.runAll(missing,
        claimed -> loadAndStoreAll(claimed, stamped, loader), LEFT_OUT);
    Map<K, V> result = new LinkedHashMap<>();
    for (K key : asked) {
      if (found.containsKey(key)) {
        result.put(key, found.get(key));
      } else {
        Object value = outcome.get(key);
        if (value != LEFT_OUT && (value != null || cache.nullValues)) {
          result.put(key, cast(value));
        }
      }
    }
    return Collections.unmodifiableMap(result);
  }

  /**
   * One call of {@code loader} for {@code claimed}, its values stored: those of the claimed keys
   * it returned a value the cache can hold for (or the newer value a write raced in with).
   */
  private Map<K, @Nullable V> loadAndStoreAll(Set<K> claimed, Map<K, Long> stamped,
      BulkLoader<K, V> loader) {
    Map<? extends K, ? extends V> loaded = callBulkLoader(claimed, loader);
    Map<K, S> toStore = new LinkedHashMap<>();
    Map<K, @Nullable V> shown = new LinkedHashMap<>();
    loaded.forEach((key, value) -> {
      if (value != null || cache.nullValues) {
        // Keys the loader added unasked are cached too, guarded from the time they are seen.
        stamped.putIfAbsent(key, stamps.stamp(key));
        toStore.put(key, cache.encodeWrite(key, value));
        if (claimed.contains(key)) {
          shown.put(key, value);
        }
      }
    });
    storeAllLoaded(stamped, toStore, shown);
    return shown;
  }

  @SuppressWarnings("unchecked")
  private static <V> V cast(@Nullable Object value) {
    return (V) value;
  }

  /**
   * Stores bulk-loaded entries as {@link #storeLoaded} stores one; where a newer value won, it
   * replaces the loaded one in {@code result} (asked keys only).
   */
  @SuppressWarnings("unchecked")
  private void storeAllLoaded(Map<K, Long> stamped, Map<K, S> toStore, Map<K, V> result) {
    if (toStore.isEmpty()) {
      return;
    }
    try {
      Map<K, S> present = cache.writeAllIfAbsent(toStore);
      for (Map.Entry<K, S> entry : toStore.entrySet()) {
        K key = entry.getKey();
        long stamp = stamped.get(key);
        S previous = present.get(key);
        if (previous == null) {
          if (stamps.changedSince(key, stamp)) {
            cache.removeIfSame(key, entry.getValue());
          }
          continue;
        }
        Object raced = cache.decodeOrMark(key, previous);
        V shown;
        if (AbstractCache.isValue(raced)) {
          shown = (V) raced;
        } else if (raced == AbstractCache.NULL_VALUE && cache.nullValues) {
          shown = null;
        } else {
          // Unreadable, a hidden null or another type's entry: the single-key path sorts it out.
          cache.dropIfUnreadable(key, previous, raced);
          shown = storeLoaded(key, decodeLoaded(key, entry.getValue()), stamp);
        }
        if (result.containsKey(key)) {
          result.put(key, shown);
        }
      }
    } catch (EngineUnavailableException e) {
      cache.failed(e);
    } finally {
      toStore.keySet().forEach(cache::changed);
    }
  }

  /** The value of a stored form this cache just encoded. */
  @SuppressWarnings("unchecked")
  private @Nullable V decodeLoaded(K key, S stored) {
    Object value = cache.decodeOrMark(key, stored);
    return !AbstractCache.isValue(value) ? null : (V) value;
  }

  Map<? extends K, ? extends V> callBulkLoader(Set<K> missing, BulkLoader<K, V> loader) {
    CacheObservations observing = cache.observations();
    CacheObservations.Started observed = observing == null ? null : observing.startLoad(null);
    long start = System.nanoTime();
    boolean success = false;
    Throwable thrown = null;
    try {
      Map<? extends K, ? extends V> loaded =
          Objects.requireNonNull(loader.loadAll(missing), "the bulk loader returned null");
      for (Map.Entry<? extends K, ? extends V> entry : loaded.entrySet()) {
        Objects.requireNonNull(entry.getKey(), "the bulk loader returned a null key");
      }
      success = true;
      return loaded;
    } catch (RuntimeException | Error e) {
      thrown = e;
      throw e;
    } catch (Exception e) {
      thrown = e;
      throw new CacheLoadException(missing, e);
    } finally {
      cache.counters.load(success, start);
      stopLoad(observed, success, thrown);
    }
  }

}
