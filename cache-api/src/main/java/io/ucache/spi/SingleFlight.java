package io.ucache.spi;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * At most one load per key at a time in this JVM, for engines implementing
 * {@code Cache.get(key, loader)}: the first caller for a key runs the work, and callers that come
 * while it runs wait for it and get its result, or the very exception it threw. Nothing is held
 * while the work runs, so a loader may load other keys of the same cache (recursion, fan-out);
 * a loader that asks for its own key gets {@link IllegalStateException} instead of a deadlock.
 *
 * <p>The work should re-check the cache first: a caller that missed just before the previous load
 * stored its value would otherwise load again. An eviction that races a load must not be undone
 * by the load storing its older value: the engine calls {@link #invalidate} (or
 * {@link #invalidateAll} for a clear) before it removes entries, and the work, after storing,
 * asks {@link #isInvalidated} and if so removes what it stored (conditionally, so that it never
 * removes a newer value). Its callers still get the loaded value.
 *
 * <p>Thread-safe. Keys are compared with {@code equals}; results may be {@code null}.
 *
 * @param <K> the key type
 */
public final class SingleFlight<K> {

  private final ConcurrentHashMap<K, Flight> flights = new ConcurrentHashMap<>();

  /**
   * Runs {@code work} for {@code key}, or waits for the run in progress and shares its outcome.
   *
   * @throws IllegalStateException if called for a key from inside that key's own work
   */
  public @Nullable Object run(K key, Supplier<?> work) {
    Objects.requireNonNull(key, "key");
    Flight mine = new Flight(Thread.currentThread());
    Flight running = flights.putIfAbsent(key, mine);
    if (running != null) {
      return running.await(key);
    }
    try {
      Object result = work.get();
      mine.result.complete(result);
      return result;
    } catch (RuntimeException | Error e) {
      mine.result.completeExceptionally(e);
      throw e;
    } finally {
      flights.remove(key, mine);
    }
  }

  /**
   * Marks the load of {@code key} in flight, if any, as overtaken by an eviction or a write: what
   * it loaded must not stay cached. Call it before removing the key from the store.
   */
  public void invalidate(Object key) {
    Flight flight = flights.get(key);
    if (flight != null) {
      flight.invalidated = true;
    }
  }

  /** {@link #invalidate}s every load in flight, for a clear. */
  public void invalidateAll() {
    flights.values().forEach(flight -> flight.invalidated = true);
  }

  /**
   * Whether the load of {@code key} that the calling thread runs was {@link #invalidate}d since
   * it started. Only meaningful inside the work given to {@link #run}.
   */
  public boolean isInvalidated(K key) {
    Flight flight = flights.get(key);
    return flight != null && flight.owner == Thread.currentThread() && flight.invalidated;
  }

  /** How many keys are being loaded now. */
  public int inFlight() {
    return flights.size();
  }

  private static final class Flight {
    final Thread owner;
    final CompletableFuture<@Nullable Object> result = new CompletableFuture<>();
    volatile boolean invalidated;

    Flight(Thread owner) {
      this.owner = owner;
    }

    @Nullable Object await(Object key) {
      if (owner == Thread.currentThread()) {
        throw new IllegalStateException("The loader of key '" + key + "' asked for that same key");
      }
      try {
        return result.join();
      } catch (CompletionException e) {
        // Rethrow what the loader threw, as it threw it.
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw e;
      }
    }
  }
}
