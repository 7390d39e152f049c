package io.ucache.interceptor;

import io.ucache.Cache;
import io.ucache.CacheException;
import io.ucache.CachedValue;
import io.ucache.FailMode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Calls of {@code @UCache} methods returning a {@code CompletableFuture} or
 * {@code CompletionStage}: callers that miss while a call for the key is in flight share it (with
 * {@code sync}), and only a successful value is cached (unless the {@code unless} condition
 * keeps it out). Each caller gets its own copy, so one
 * caller cancelling it cancels nobody else's. Thread-safe.
 */
final class SharedFutures {

  /** Results in flight, by cache and key, shared by every caller of the interceptor. */
  private final ConcurrentHashMap<InFlight, CompletableFuture<@Nullable Object>> inFlight =
      new ConcurrentHashMap<>();
  private final FailureLog log;

  SharedFutures(FailureLog log) {
    this.log = log;
  }

  Object call(Operation operation, CacheSpec spec, Binding binding, Object key,
      @Nullable Object @Nullable [] args, Proceed invocation) throws Throwable {
    try {
      CachedValue<Object> hit = binding.cache.lookup(key);
      if (hit != null && (hit.value() != null || binding.nullValues)) {
        return CompletableFuture.completedFuture(hit.value());
      }
    } catch (CacheException e) {
      if (binding.failMode == FailMode.CLOSED) {
        throw e;
      }
      log.failure(operation, e);
      return invocation.proceed(args);
    }
    Object stored = Binding.storable(key);
    InFlight flight = new InFlight(binding.cache, stored);
    CompletableFuture<@Nullable Object> mine = new CompletableFuture<>();
    if (spec.sync()) {
      CompletableFuture<@Nullable Object> running = inFlight.putIfAbsent(flight, mine);
      if (running != null) {
        return running.copy();
      }
      // A call that completed between the lookup above and now cached its value first, then
      // left the flight: look again, or the method would run a second time.
      CachedValue<Object> hit;
      try {
        hit = binding.cache.lookup(key);
      } catch (CacheException e) {
        hit = null; // the lookup above worked: run the method as on any miss
      }
      if (hit != null && (hit.value() != null || binding.nullValues)) {
        inFlight.remove(flight, mine);
        mine.complete(hit.value());
        return mine.copy();
      }
    }
    long stamp;
    try {
      stamp = CachedCalls.loadStamp(binding.cache, stored);
    } catch (RuntimeException e) {
      inFlight.remove(flight, mine);
      mine.completeExceptionally(e);
      throw e;
    }
    Object returned;
    try {
      returned = invocation.proceed(args);
    } catch (Throwable t) {
      inFlight.remove(flight, mine);
      mine.completeExceptionally(t);
      throw t;
    }
    if (returned == null) {
      inFlight.remove(flight, mine);
      mine.complete(null);
      return null;
    }
    ((CompletionStage<?>) returned).whenComplete((value, error) -> {
      try {
        if (error == null && (value != null || binding.nullValues)
            && !keptOut(operation, args, value)) {
          CachedCalls.storeComputed(binding.cache, stored, value, stamp);
        }
      } catch (RuntimeException e) {
        // An engine failure, or an engine closed meanwhile (the EngineContext the call ran in
        // ended before the future completed): the value is not cached, but the callers that
        // share this future must still get it, and the flight must end.
        log.failure(operation, e);
      } finally {
        // Cached first, then out of flight: a later caller finds one or the other.
        inFlight.remove(flight, mine);
        if (error == null) {
          mine.complete(value);
        } else {
          mine.completeExceptionally(error);
        }
      }
    });
    return mine.copy();
  }

  /** Whether the operation's {@code unless} condition keeps {@code value} out of the cache. */
  private static boolean keptOut(Operation operation, @Nullable Object @Nullable [] args,
      @Nullable Object value) {
    return operation.unless != null
        && operation.unless.test(operation.method, Operation.arguments(args), value);
  }

  /** A call whose future is in flight: its cache and its key. */
  private record InFlight(Cache<Object, Object> cache, Object key) {}
}
