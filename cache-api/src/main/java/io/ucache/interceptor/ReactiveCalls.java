package io.ucache.interceptor;

import io.ucache.Cache;
import io.ucache.CacheException;
import io.ucache.CachedValue;
import io.ucache.FailMode;
import io.ucache.annotation.ResultCondition;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Calls of {@code @UCache} methods returning a Reactor {@code Mono} or {@code Flux}: what is
 * cached is the value the {@code Mono} emits (an empty one as null, only with null values on) or
 * the list of values the {@code Flux} emits, replayed as a {@code Flux}; never the publisher, and
 * never an error. Nothing runs until the caller subscribes, and nothing blocks the subscribing
 * thread (an event loop): a remote engine is read through its asynchronous view, and a loaded
 * value is stored on Reactor's bounded-elastic scheduler, through the template's load store (a
 * write or an eviction racing the load wins). Subscribers that come while a load of the key
 * runs share it ({@code sync}). An engine failure makes the method run uncached unless the fail mode
 * is closed. Loaded only when such a method is called: Reactor is optional. Thread-safe.
 */
final class ReactiveCalls {

  /** Loads in flight, by cache and key: the subscribers of each share one. */
  private final ConcurrentHashMap<InFlight, Mono<Optional<Object>>> inFlight =
      new ConcurrentHashMap<>();
  private final FailureLog log;

  ReactiveCalls(FailureLog log) {
    this.log = log;
  }

  /** The {@code Mono} or {@code Flux} the call returns. */
  Object call(Operation operation, CacheSpec spec, Binding binding, Object key,
      @Nullable Object @Nullable [] args, Proceed invocation) {
    Mono<Optional<Object>> value = Mono.defer(() -> {
      // A subscriber that comes while the key loads joins the load without reading the cache.
      Mono<Optional<Object>> running = spec.sync()
          ? inFlight.get(new InFlight(binding.cache, key)) : null;
      return running != null ? running : lookup(operation, binding, key)
          .filter(found -> found.isPresent() || binding.nullValues)
          .switchIfEmpty(Mono.defer(() -> load(operation, spec, binding, key, args, invocation)));
    });
    if (spec.result() == CacheSpec.Result.FLUX) {
      return value.flatMapMany(found -> found.map(list -> Flux.fromIterable((List<?>) list))
          .orElse(Flux.empty()));
    }
    return value.flatMap(Mono::justOrEmpty);
  }

  /** The cached value (empty Optional for a cached null), or empty for a miss. */
  private Mono<Optional<Object>> lookup(Operation operation, Binding binding, Object key) {
    Mono<@Nullable CachedValue<Object>> read = binding.inProcess
        ? Mono.fromCallable(() -> binding.cache.lookup(key))
        : Mono.fromCompletionStage(() -> binding.cache.async().lookup(key));
    return read.map(hit -> Optional.ofNullable(hit.value()))
        .onErrorResume(CacheException.class, e -> {
          if (binding.failMode == FailMode.CLOSED) {
            return Mono.error(e);
          }
          log.failure(operation, e);
          return Mono.empty(); // a miss: the method runs
        });
  }

  private Mono<Optional<Object>> load(Operation operation, CacheSpec spec, Binding binding,
      Object key, @Nullable Object @Nullable [] args, Proceed invocation) {
    Object stored = Binding.storable(key);
    if (!spec.sync()) {
      return run(operation, spec, binding, stored, args, invocation);
    }
    InFlight flight = new InFlight(binding.cache, stored);
    return inFlight.computeIfAbsent(flight, f ->
        run(operation, spec, binding, stored, args, invocation)
            .doFinally(signal -> inFlight.remove(f))
            .cache());
  }

  /** Runs the method, collects what it emits, and stores it (unless kept out), off this thread. */
  private Mono<Optional<Object>> run(Operation operation, CacheSpec spec, Binding binding,
      Object stored, @Nullable Object @Nullable [] args, Proceed invocation) {
    return Mono.defer(() -> {
      long stamp = CachedCalls.loadStamp(binding.cache, stored);
      Publisher<?> returned;
      try {
        returned = (Publisher<?>) invocation.proceed(args);
      } catch (Throwable t) {
        return Mono.error(t);
      }
      if (returned == null) {
        return Mono.just(Optional.empty());
      }
      Mono<Optional<Object>> emitted = spec.result() == CacheSpec.Result.FLUX
          ? Flux.from(returned).collectList().map(Optional::of)
          : Mono.from(returned).map(Optional::<Object>of).defaultIfEmpty(Optional.empty());
      return emitted.flatMap(value -> store(operation, binding, stored, value, stamp, args)
          .thenReturn(value));
    });
  }

  private Mono<Void> store(Operation operation, Binding binding, Object stored,
      Optional<Object> value, long stamp, @Nullable Object @Nullable [] args) {
    ResultCondition unless = operation.unless;
    if (value.isEmpty() && !binding.nullValues
        || unless != null && unless.test(operation.method, Operation.arguments(args),
            value.orElse(null))) {
      return Mono.empty();
    }
    Mono<Void> write = Mono.fromRunnable(() ->
        CachedCalls.storeComputed(binding.cache, stored, value.orElse(null), stamp));
    return (binding.inProcess ? write : write.subscribeOn(Schedulers.boundedElastic()))
        .onErrorResume(RuntimeException.class, e -> {
          // The value is the caller's either way; only caching it failed.
          log.failure(operation, e);
          return Mono.empty();
        });
  }

  /** A load in flight: its cache and its key. */
  private record InFlight(Cache<Object, Object> cache, Object key) {}
}
