package io.ucache.jcache;

import io.ucache.EngineUnavailableException;
import io.ucache.spi.LeaseRenewals;
import io.ucache.spi.LoadLeases;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.cache.CacheException;
import org.jspecify.annotations.Nullable;

/**
 * The locks that order the operations on each key of one cache. In this JVM, a striped
 * {@link ReentrantLock}. On an engine shared between processes that offers key leases (redis),
 * a lock also holds the key's lease in the engine ({@link LoadLeases}: {@code SET NX PX} with a
 * token, renewed while held, released by compare-and-delete), so the operations on one key are
 * atomic across every process that uses the cache through JCache. A process that dies holding a
 * lease blocks its key for at most {@link #LEASE_TIME}; a lock that cannot be had within
 * {@link #WAIT_LIMIT} fails with a {@link CacheException} naming the key. When the engine fails,
 * the lock is this JVM's alone: the operation then meets the engine's failure mode anyway.
 * Thread-safe.
 */
final class KeyLocks {

  /** How long a lease lasts unless renewed (a third of it apart, while held). */
  static final Duration LEASE_TIME = Duration.ofSeconds(10);
  /** How long a caller waits for another process's lease: a dead holder's lease runs out first. */
  static final Duration WAIT_LIMIT = LEASE_TIME.multipliedBy(3);

  private static final int STRIPES = 256;
  private static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  private final @Nullable LoadLeases<String, ?> leases;
  private final Function<Object, String> leaseKey;
  /** The leases this JVM holds, by lease key: only the thread holding the key's stripe uses one. */
  private final Map<String, Held> held = new ConcurrentHashMap<>();

  /**
   * @param leases the engine's key leases, or null to lock in this JVM only
   * @param leaseKey the engine key a cache key's lease is taken on
   */
  KeyLocks(@Nullable LoadLeases<String, ?> leases, Function<Object, String> leaseKey) {
    this.leases = leases;
    this.leaseKey = leaseKey;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** Whether locks reach other processes (the engine's key leases). */
  boolean acrossProcesses() {
    return leases != null;
  }

  /** The lock of {@code key} for an operation that may change it: across processes if they can. */
  Lock exclusive(Object key) {
    ReentrantLock stripe = stripe(key);
    return leases == null ? stripe : new LeasedLock(stripe, key, leaseKey.apply(key));
  }

  /** The lock of {@code key} in this JVM only, for an operation that changes nothing. */
  Lock local(Object key) {
    return stripe(key);
  }

  private ReentrantLock stripe(Object key) {
    int h = key.hashCode();
    return stripes[(h ^ (h >>> 16)) & (STRIPES - 1)];
  }

  /** A lease held by this JVM, with how many nested locks of its thread hold it. */
  private static final class Held {
    final String token;
    final @Nullable ScheduledFuture<?> renewal;
    int depth = 1;

    Held(String token, @Nullable ScheduledFuture<?> renewal) {
      this.token = token;
      this.renewal = renewal;
    }
  }

  /** A key's stripe and its lease; only {@link #lock()} and {@link #unlock()} are supported. */
  private final class LeasedLock implements Lock {
    private final ReentrantLock stripe;
    private final Object cacheKey;
    private final String key;

    LeasedLock(ReentrantLock stripe, Object cacheKey, String key) {
      this.stripe = stripe;
      this.cacheKey = cacheKey;
      this.key = key;
    }

    /**
     * Holds the stripe and the lease; waits for another process's lease without the stripe, so
     * this JVM's reads (and its operations on the stripe's other keys) go on meanwhile.
     */
    @Override
    public void lock() {
      String token = Long.toHexString(ThreadLocalRandom.current().nextLong())
          + Long.toHexString(ThreadLocalRandom.current().nextLong());
      long start = System.nanoTime();
      long poll = FIRST_POLL_NANOS;
      for (;;) {
        stripe.lock();
        boolean locked = false;
        try {
          Held mine = held.get(key);
          if (mine != null) {
            mine.depth++; // this thread holds it already (a listener's operation on the key)
            locked = true;
            return;
          }
          Held taken = tryTake(token);
          if (taken != null) {
            held.put(key, taken);
            locked = true;
            return;
          }
        } finally {
          if (!locked) {
            stripe.unlock();
          }
        }
        if (System.nanoTime() - start > WAIT_LIMIT.toNanos()) {
          throw new CacheException("The entry of key '" + cacheKey + "' stayed locked by"
              + " another process for " + WAIT_LIMIT.toSeconds() + " s: an operation there is"
              + " still running (a slow loader, writer or entry processor)");
        }
        if (Thread.currentThread().isInterrupted()) {
          throw new CacheException("Interrupted while waiting for another process's operation on"
              + " key '" + cacheKey + "'");
        }
        // Back off, jittered so that waiting processes do not ask in step.
        LockSupport.parkNanos(poll / 2 + ThreadLocalRandom.current().nextLong(poll / 2 + 1));
        poll = Math.min(MAX_POLL_NANOS, poll * 2);
      }
    }

    /** The lease, taken for {@code token}; null when another process holds it. */
    private @Nullable Held tryTake(String token) {
      LoadLeases<String, ?> engine = leases;
      assert engine != null;
      try {
        if (!engine.tryTake(key, token, LEASE_TIME)) {
          return null;
        }
      } catch (EngineUnavailableException e) {
        return new Held(token, null); // no lease to be had: the engine's failure mode decides
      }
      return new Held(token, LeaseRenewals.every(LEASE_TIME.toMillis() / 3,
          () -> renew(engine, token)));
    }

    private boolean renew(LoadLeases<String, ?> engine, String token) {
      try {
        return engine.renew(key, token, LEASE_TIME);
      } catch (EngineUnavailableException e) {
        return true; // try again next period: the lease may still hold
      }
    }

    @Override
    public void unlock() {
      try {
        Held mine = held.get(key);
        if (mine != null && --mine.depth == 0) {
          held.remove(key);
          release(mine);
        }
      } finally {
        stripe.unlock();
      }
    }

    private void release(Held mine) {
      if (mine.renewal == null) {
        return; // taken while the engine failed: there is no lease
      }
      mine.renewal.cancel(false);
      LoadLeases<String, ?> engine = leases;
      assert engine != null;
      try {
        engine.release(key, mine.token);
      } catch (EngineUnavailableException e) {
        // The lease runs out by itself within LEASE_TIME.
      }
    }

    @Override
    public void lockInterruptibly() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean tryLock() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Condition newCondition() {
      throw new UnsupportedOperationException();
    }
  }
}
