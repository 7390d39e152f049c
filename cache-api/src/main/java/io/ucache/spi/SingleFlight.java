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
 * stored its value would otherwise load again.
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

  /** How many keys are being loaded now. */
  public int inFlight() {
    return flights.size();
  }

  private static final class Flight {
    final Thread owner;
    final CompletableFuture<@Nullable Object> result = new CompletableFuture<>();

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
