package io.ucache.spi;

import io.ucache.CacheLoadException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * At most one load per key at a time in this JVM, for engines implementing
 * {@code Cache.get(key, loader)}: the first caller for a key runs the work, and callers that come
 * while it runs wait for it and get its result, or the very exception it threw (whatever it is,
 * checked exceptions thrown without being declared included). Nothing is held while the work
 * runs, so a loader may load other keys of the same cache (recursion, fan-out).
 *
 * <p><b>Waiting never deadlocks silently.</b> A loader that asks for its own key gets
 * {@link IllegalStateException} instead of a deadlock; so does a loader whose wait would close a
 * cycle of loads across threads (A's loader waits for a key B loads, whose loader waits for a key
 * A loads, or longer cycles, across every {@code SingleFlight} of the JVM), naming the keys of the
 * cycle. A waiter honours interrupts: it restores the thread's interrupt flag and throws
 * {@link CacheLoadException} (for the key, caused by an {@link InterruptedException}); the load
 * goes on for its other callers. With a load timeout, a caller waits at most that long for
 * another caller's load, then throws {@link CacheLoadException} (for the key, caused by a
 * {@link TimeoutException} naming the timeout). The work itself is never interrupted or timed.
 *
 * <p>The work should re-check the cache first: a caller that missed just before the previous load
 * stored its value would otherwise load again. That an eviction racing a load wins is the
 * cache template's business ({@link AbstractCache}, with its load stamps), not this class's.
 *
 * <p><b>Cost.</b> An uncontended load allocates one object and makes one {@code putIfAbsent} and
 * one {@code remove} on a concurrent map; only a caller that has to wait looks for cycles.
 *
 * <p>Thread-safe. Keys are compared with {@code equals}; results may be {@code null}.
 *
 * @param <K> the key type
 */
public final class SingleFlight<K> {

  /**
   * The wait-for graph of every waiting caller in the JVM: which flight each waiting thread
   * waits for. Loads of different caches (so of different instances) can wait for each other,
   * so it is shared. Edges are added, after a walk finds no cycle, under {@link #GRAPH_LOCK}, so
   * that of two waits closing a cycle the later one sees the earlier one's edge.
   */
  private static final ConcurrentHashMap<Thread, Flight> WAITING = new ConcurrentHashMap<>();
  private static final Object GRAPH_LOCK = new Object();

  private final ConcurrentHashMap<K, Flight> flights = new ConcurrentHashMap<>();
  /** How long a caller waits for another caller's load; 0 for no bound. */
  private final long loadTimeoutNanos;
  private final @Nullable Duration loadTimeout;

  /** Callers wait for another caller's load as long as it takes (or until interrupted). */
  public SingleFlight() {
    this(null);
  }

  /**
   * Callers wait at most {@code loadTimeout} for another caller's load; {@code null} for no
   * bound.
   *
   * @throws IllegalArgumentException if {@code loadTimeout} is zero or negative
   */
  public SingleFlight(@Nullable Duration loadTimeout) {
    if (loadTimeout != null && (loadTimeout.isNegative() || loadTimeout.isZero())) {
      throw new IllegalArgumentException("The load timeout must be positive, not " + loadTimeout);
    }
    this.loadTimeout = loadTimeout;
    this.loadTimeoutNanos = loadTimeout == null ? 0 : saturatedNanos(loadTimeout);
  }

  /**
   * Runs {@code work} for {@code key}, or waits for the run in progress and shares its outcome.
   *
   * @throws IllegalStateException if called for a key from inside that key's own work, or if
   *     waiting would close a cycle of loads waiting for each other across threads
   * @throws CacheLoadException if the caller was interrupted while waiting for another caller's
   *     load (its interrupt flag is set again), or waited longer than the load timeout
   */
  public @Nullable Object run(K key, Supplier<?> work) {
    return run(key, key, work);
  }

  /**
   * {@link #run(Object, Supplier)} for an engine that keys loads by an encoded form of the
   * caller's key (bytes, say): {@code shownKey}, the caller's key, is what messages name.
   *
   * @throws IllegalStateException if called for a key from inside that key's own work, or if
   *     waiting would close a cycle of loads waiting for each other across threads
   * @throws CacheLoadException if the caller was interrupted while waiting for another caller's
   *     load (its interrupt flag is set again), or waited longer than the load timeout
   */
  public @Nullable Object run(K key, Object shownKey, Supplier<?> work) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(shownKey, "shownKey");
    Flight mine = new Flight(shownKey, Thread.currentThread());
    Flight running = flights.putIfAbsent(key, mine);
    if (running != null) {
      return await(shownKey, running);
    }
    try {
      Object result = work.get();
      mine.complete(result, null);
      return result;
    } catch (Throwable t) {
      // Whatever it is (a checked exception thrown without being declared too), the flight must
      // end, or its waiters would wait forever.
      mine.complete(null, t);
      throw t;
    } finally {
      flights.remove(key, mine);
    }
  }

  /**
   * {@link #run} for many keys at once (a bulk load): runs {@code work} once, for those of
   * {@code keys} no other caller is loading now (its argument; it may be empty, then it is not
   * run), and waits for the loads of the others. Each key's flight completes with what
   * {@code work} returned for it, or with {@code leftOut} when it returned nothing for it, so
   * that a caller waiting for one key gets it. This caller's own flights complete before it
   * waits for the others, so it holds nothing while waiting: two bulk loads over overlapping
   * keys never deadlock.
   *
   * @return the outcome of every key: its value, or {@code leftOut}
   * @throws IllegalStateException as {@link #run} does, for a key of another caller's load
   * @throws CacheLoadException as {@link #run} does, for a key of another caller's load
   */
  public Map<K, @Nullable Object> runAll(Collection<K> keys,
      Function<Set<K>, Map<? extends K, ?>> work, Object leftOut) {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(work, "work");
    Objects.requireNonNull(leftOut, "leftOut");
    Map<K, Flight> mine = new LinkedHashMap<>();
    Map<K, Flight> others = new LinkedHashMap<>();
    Thread me = Thread.currentThread();
    for (K key : keys) {
      Flight flight = new Flight(key, me);
      Flight running = flights.putIfAbsent(Objects.requireNonNull(key, "key"), flight);
      if (running == null) {
        mine.put(key, flight);
      } else if (!mine.containsKey(key)) {
        others.put(key, running);
      }
    }
    Map<K, @Nullable Object> outcome = new LinkedHashMap<>();
    if (!mine.isEmpty()) {
      Map<? extends K, ?> loaded;
      try {
        loaded = work.apply(Collections.unmodifiableSet(mine.keySet()));
      } catch (Throwable t) {
        mine.forEach((key, flight) -> {
          flight.complete(null, t);
          flights.remove(key, flight);
        });
        throw t;
      }
      mine.forEach((key, flight) -> {
        Object value = loaded.containsKey(key) ? loaded.get(key) : leftOut;
        outcome.put(key, value);
        flight.complete(value, null);
        flights.remove(key, flight);
      });
    }
    others.forEach((key, running) -> outcome.put(key, await(key, running)));
    return outcome;
  }

  /** How many keys are being loaded now. */
  public int inFlight() {
    return flights.size();
  }

  @Override
  public String toString() {
    return "SingleFlight{inFlight=" + flights.size() + ", loadTimeout="
        + (loadTimeout == null ? "none" : loadTimeout) + "}";
  }

  private @Nullable Object await(Object key, Flight running) {
    Thread me = Thread.currentThread();
    if (running.owner == me) {
      throw new IllegalStateException("The loader of key '" + key + "' asked for that same key");
    }
    synchronized (GRAPH_LOCK) {
      checkNoCycle(running, me);
      WAITING.put(me, running);
    }
    try {
      if (loadTimeoutNanos == 0) {
        running.acquireSharedInterruptibly(0);
      } else if (!running.tryAcquireSharedNanos(0, loadTimeoutNanos)) {
        throw new CacheLoadException(key, new TimeoutException("Waited longer than the load "
            + "timeout (" + loadTimeout + ") for another caller's load of key '" + key + "'"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedException described = new InterruptedException("Interrupted while waiting for "
          + "another caller's load of key '" + key + "'");
      described.initCause(e);
      throw new CacheLoadException(key, described);
    } finally {
      WAITING.remove(me, running);
    }
    Throwable failure = running.failure;
    if (failure != null) {
      // Rethrow what the loader threw, as it threw it.
      throw SingleFlight.<RuntimeException>sneaky(failure);
    }
    return running.value;
  }

  /**
   * Follows the wait-for graph from the owner of {@code target}: if it leads back to {@code me},
   * waiting would deadlock. Flights already done are not waited for any more (their waiters are
   * about to wake), so they end the walk. Called under {@link #GRAPH_LOCK}.
   */
  private static void checkNoCycle(Flight target, Thread me) {
    List<Flight> path = null;
    Flight next = target;
    // A thread waits for one flight at a time, so the walk is a path; bound it all the same.
    for (int steps = 0; next != null && !next.isDone() && steps <= WAITING.size(); steps++) {
      if (path == null) {
        path = new ArrayList<>();
      }
      path.add(next);
      if (next.owner == me) {
        throw cycle(path, me);
      }
      next = WAITING.get(next.owner);
    }
  }

  private static IllegalStateException cycle(List<Flight> path, Thread me) {
    StringBuilder message = new StringBuilder("Loads wait for each other in a cycle, which would "
        + "never end: thread '").append(me.getName()).append('\'');
    for (Flight flight : path) {
      message.append(" waits for the load of key '").append(flight.key).append("' by thread '")
          .append(flight.owner.getName()).append('\'');
    }
    return new IllegalStateException(message.append("; a loader must not wait for a key whose "
        + "loader waits for its own").toString());
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * One load in flight and, once done, its outcome. It is its own latch (state 1 while running,
   * 0 once done), so an uncontended load allocates nothing else.
   */
  private static final class Flight extends AbstractQueuedSynchronizer {
    private static final long serialVersionUID = 1L;

    final transient Object key;
    final transient Thread owner;
    /** Written before the release in {@link #complete}, read after an acquire: visible. */
    transient @Nullable Object value;
    transient @Nullable Throwable failure;

    Flight(Object key, Thread owner) {
      this.key = key;
      this.owner = owner;
      setState(1);
    }

    void complete(@Nullable Object value, @Nullable Throwable failure) {
      this.value = value;
      this.failure = failure;
      releaseShared(0);
    }

    boolean isDone() {
      return getState() == 0;
    }

    @Override
    protected int tryAcquireShared(int ignored) {
      return getState() == 0 ? 1 : -1;
    }

    @Override
    protected boolean tryReleaseShared(int ignored) {
      setState(0);
      return true;
    }
  }
}
