package io.ucache.interceptor;

import io.ucache.CacheException;
import io.ucache.FailMode;
import io.ucache.annotation.ResultCondition;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Applies {@code @UCachePut}: runs the method, then stores what it returned under the key its
 * cache's {@code @UCache} methods read for the same key arguments, replacing the entry (a future's
 * value once it completes successfully). The cache is opened as a known reader of it opens it,
 * so the put cannot open it with settings that reader would then refuse; with no reader known,
 * with the engine's configuration of the cache. A null result evicts the key unless the cache
 * holds nulls; one the {@code unless} condition rejects leaves the entry as it was. An engine
 * failure never breaks the method unless the fail mode is closed. Thread-safe.
 */
final class Puts {

  private final OperationRegistry registry;
  private final Bindings bindings;
  private final FailureLog log;

  Puts(OperationRegistry registry, Bindings bindings, FailureLog log) {
    this.registry = registry;
    this.bindings = bindings;
    this.log = log;
  }

  /** One call of a {@code @UCachePut} method: run, and its result stored. */
  @Nullable Object call(Operation operation, @Nullable Object @Nullable [] args,
      Proceed invocation) throws Throwable {
    CacheSpec spec = Objects.requireNonNull(operation.put);
    Object returned = invocation.proceed(args);
    switch (spec.result()) {
      case FUTURE -> {
        if (returned != null) {
          ((CompletionStage<?>) returned).whenComplete((value, error) -> {
            if (error == null) {
              storeQuietly(operation, spec, args, value);
            }
          });
        }
      }
      case OPTIONAL -> store(operation, spec, args,
          returned == null ? null : ((Optional<?>) returned).orElse(null));
      case PLAIN -> store(operation, spec, args, returned);
    }
    return returned;
  }

  /** For a future's completion: there is no caller to throw to, so failures are only logged. */
  private void storeQuietly(Operation operation, CacheSpec spec,
      @Nullable Object @Nullable [] args, @Nullable Object value) {
    try {
      store(operation, spec, args, value);
    } catch (Throwable t) {
      log.failure(operation, t);
    }
  }

  private void store(Operation operation, CacheSpec spec, @Nullable Object @Nullable [] args,
      @Nullable Object value) throws Throwable {
    ResultCondition unless = operation.unless;
    if (unless != null && unless.test(operation.method, Operation.arguments(args), value)) {
      return;
    }
    Binding binding;
    Operation reader = registry.readerOf(spec.name(), spec.engine());
    try {
      binding = bindings.bind(reader != null ? reader : operation, spec.engine());
    } catch (Bindings.BindingFailure failure) {
      log.absorb(operation, failure);
      return;
    }
    try {
      Object key = binding.key(operation, operation.keyArguments(args));
      TagTemplates tags = reader == null ? null : reader.tags;
      if (tags != null) {
        // The readers' tags, over the same key arguments: the key they read.
        key = binding.tagged(key, TagGenerations.of(binding.engine,
            tags.render(operation.selectKeyArguments(args))));
      }
      key = Binding.storable(key);
      if (value != null || binding.nullValues) {
        binding.cache.put(key, value);
      } else {
        binding.cache.evict(key); // no value now: the old one must not stay
      }
    } catch (CacheException | IllegalArgumentException e) {
      // An engine failure, or a key argument without a canonical form.
      if (binding.failMode == FailMode.CLOSED) {
        throw e;
      }
      log.failure(operation, e);
    }
  }
}
