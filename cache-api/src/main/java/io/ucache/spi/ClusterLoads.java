package io.ucache.spi;

import io.ucache.CacheLoadException;
import io.ucache.CacheLoader;
import io.ucache.CachedValue;
import io.ucache.EngineUnavailableException;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Single-flight across processes ({@code single-flight.scope=cluster}), for a load that already
 * won this JVM's single-flight: the caller takes the key's lease in the engine ({@link LoadLeases})
 * and loads, renewing the lease while the loader runs, and stores the value only while it still
 * holds the lease (a load whose lease expired, its process paused, must not fill the key after
 * another process's newer value was evicted); or, when another process holds the lease, waits
 * for that process's value, polling with a jittered back-off (2 ms doubling to 100 ms), taking
 * the lease itself if it is released or expires with no value stored (its holder died). The
 * wait is bounded by {@code load-timeout} when set. When the engine cannot take a lease (it is
 * down, its circuit open), the failure mode decides: {@code open} loads here, under this JVM's
 * single-flight only; {@code closed} throws. Thread-safe.
 */
final class ClusterLoads<K, V, S> {

  private static final long FIRST_POLL_NANOS = 2_000_000;
  private static final long MAX_POLL_NANOS = 100_000_000;

  private final AbstractCache<K, V, S> cache;
  private final CacheLoading<K, V, S> loading;
  private final LoadLeases<K, S> leases;
  private final Duration leaseTime;
  private final @Nullable Duration loadTimeout;

  ClusterLoads(AbstractCache<K, V, S> cache, CacheLoading<K, V, S> loading,
      LoadLeases<K, S> leases) {
    this.cache = cache;
    this.loading = loading;
    this.leases = leases;
    this.leaseTime = cache.config().singleFlightLeaseTime();
    this.loadTimeout = cache.config().loadTimeout().orElse(null);
  }

  /** The value of {@code key}: loaded here under the key's lease, or by another process. */
  @Nullable V load(K key, CacheLoader<? super K, ? extends V> loader, long stamp) {
    long start = System.nanoTime();
    long poll = FIRST_POLL_NANOS;
    for (;;) {
      String token = newToken();
      boolean taken;
      try {
        taken = leases.tryTake(key, token, leaseTime);
      } catch (EngineUnavailableException e) {
        cache.failed(e); // rethrown with fail-mode closed
        return loading.loadAndStore(key, loader, stamp);
      }
      if (taken) {
        return loadHolding(key, loader, stamp, token);
      }
      waitFor(key, start, poll);
      poll = Math.min(MAX_POLL_NANOS, poll * 2);
      CachedValue<V> current = inEngine(key);
      if (current != null) {
        return current.value();
      }
    }
  }

  /**
   * Runs {@code work} holding {@code key}'s lease (a background refresh): false, without running
   * it, when another process holds the lease.
   *
   * @throws EngineUnavailableException if the engine fails
   */
  boolean whileHolding(K key, Runnable work) {
    String token = newToken();
    if (!leases.tryTake(key, token, leaseTime)) {
      return false;
    }
    ScheduledFuture<?> renewal = renewing(key, token);
    try {
      work.run();
      return true;
    } finally {
      release(key, token, renewal);
    }
  }

  /**
   * Runs {@code work} with the keys of {@code keys} whose leases this process took (a background
   * bulk refresh), holding them until it returns; not at all if it took none.
   *
   * @throws EngineUnavailableException if the engine fails
   */
  void whileHoldingAll(Collection<K> keys, Consumer<Set<K>> work) {
    String token = newToken();
    Set<K> held = new LinkedHashSet<>();
    try {
      for (K key : keys) {
        if (leases.tryTake(key, token, leaseTime)) {
          held.add(key);
        }
      }
      if (held.isEmpty()) {
        return;
      }
      ScheduledFuture<?> renewal = LeaseRenewals.every(Math.max(1, leaseTime.toMillis() / 3),
          () -> {
            try {
              for (K key : held) {
                leases.renew(key, token, leaseTime);
              }
            } catch (EngineUnavailableException e) {
              // try again next period: the leases may still hold
            }
            return true;
          });
      try {
        work.accept(Collections.unmodifiableSet(held));
      } finally {
        renewal.cancel(false);
      }
    } finally {
      for (K key : held) {
        try {
          leases.release(key, token);
        } catch (EngineUnavailableException e) {
          cache.countError(); // it expires by itself
        }
      }
    }
  }

  private static String newToken() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong())
        + Long.toHexString(ThreadLocalRandom.current().nextLong());
  }

  private ScheduledFuture<?> renewing(K key, String token) {
    return LeaseRenewals.every(Math.max(1, leaseTime.toMillis() / 3), () -> {
      try {
        return leases.renew(key, token, leaseTime);
      } catch (EngineUnavailableException e) {
        return true; // try again next period: the lease may still hold
      }
    });
  }

  private void release(K key, String token, ScheduledFuture<?> renewal) {
    renewal.cancel(false);
    try {
      leases.release(key, token);
    } catch (EngineUnavailableException e) {
      cache.countError(); // it expires by itself
    }
  }

  private @Nullable V loadHolding(K key, CacheLoader<? super K, ? extends V> loader, long stamp,
      String token) {
    ScheduledFuture<?> renewal = renewing(key, token);
    try {
      // A process that held the lease before may have stored the value just before it ended.
      CachedValue<V> current = inEngine(key);
      if (current != null) {
        return current.value();
      }
      V value = loading.callLoader(key, loader);
      if (value == null && !cache.nullValues) {
        return null;
      }
      try {
        return loading.storeLoaded(key, value, stamp, (k, stored) -> fenced(k, stored, token));
      } catch (LeaseLost lost) {
        return value; // for this call's callers; the key is left to whoever holds it now
      }
    } finally {
      release(key, token, renewal);
    }
  }

  /**
   * What the engine itself holds for {@code key} now: not a near copy, which may still say
   * "absent" until the invalidation of another process's write arrives.
   */
  private @Nullable CachedValue<V> inEngine(K key) {
    return cache.visible(key, cache.readOrMiss(key));
  }

  private @Nullable S fenced(K key, S stored, String token) {
    LoadLeases.Fenced<S> outcome = leases.writeIfAbsentHolding(key, stored, token);
    if (outcome.leaseLost()) {
      throw LeaseLost.INSTANCE;
    }
    return outcome.present();
  }

  /** Parks for about {@code poll} (half to all of it); throws once the load timeout passed. */
  private void waitFor(K key, long start, long poll) {
    if (loadTimeout != null && System.nanoTime() - start >= loadTimeout.toNanos()) {
      throw new CacheLoadException(key, new TimeoutException("waited " + loadTimeout
          + " (load-timeout) for another process's load of the key"));
    }
    LockSupport.parkNanos(poll / 2 + ThreadLocalRandom.current().nextLong(poll / 2 + 1));
    if (Thread.interrupted()) {
      Thread.currentThread().interrupt();
      throw new CacheLoadException(key, new InterruptedException(
          "interrupted while waiting for another process's load of the key"));
    }
  }

  /** The fenced write found the lease gone. */
  private static final class LeaseLost extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final LeaseLost INSTANCE = new LeaseLost();

    private LeaseLost() {
      super("lease lost", null, false, false);
    }
  }
}
