package io.ucache.interceptor;

import io.ucache.Cache;
import io.ucache.CacheEngine;
import io.ucache.CacheException;
import io.ucache.CacheKeys;
import io.ucache.Capability;
import io.ucache.FailMode;
import io.ucache.context.EngineContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Applies {@code @UCacheEvict} after its method returned (or before it runs): removes the entry
 * of the call's key arguments (or every entry) from each named cache. The key is the one any {@code @UCache} method
 * of that cache makes of the same arguments, so the process evicting needs no knowledge of the
 * methods that read the cache: it may never have proxied them. What it knows helps: readers with
 * a key generator have their generated key evicted too, and an in-process engine, whose keys are
 * the argument objects, has every form a reader may have used removed.
 *
 * <p>A cache that an in-process engine has not opened holds nothing, so nothing is done; another
 * engine's cache is opened for the eviction, viewed with {@code Object} values when no reader is
 * known. Thread-safe.
 */
final class Evictions {

  private final OperationRegistry registry;
  private final Bindings bindings;
  private final FailureLog log;

  Evictions(OperationRegistry registry, Bindings bindings, FailureLog log) {
    this.registry = registry;
    this.bindings = bindings;
    this.log = log;
  }

  /** Evicts from each cache the method names, unless its condition says this call does not. */
  void evict(Operation operation, @Nullable Object @Nullable [] args) throws Throwable {
    Operation.EvictSpec spec = Objects.requireNonNull(operation.evict);
    if (spec.condition() != null
        && !spec.condition().test(operation.method, Operation.arguments(args))) {
      return;
    }
    @Nullable Object[] keyArguments = operation.selectKeyArguments(args);
    for (String name : spec.names()) {
      evict(operation, spec, name, keyArguments);
    }
    TagTemplates tags = spec.tags();
    if (tags != null) {
      invalidate(operation, spec, tags.render(keyArguments));
    }
  }

  /** Invalidates {@code tags} on the eviction's engine (the current or default one if unnamed). */
  private void invalidate(Operation operation, Operation.EvictSpec spec, List<String> tags)
      throws Throwable {
    CacheEngine engine;
    try {
      engine = bindings.engine(spec.engine(), EngineContext.current().orElse(null));
    } catch (Bindings.BindingFailure failure) {
      log.absorb(operation, failure);
      return;
    }
    try {
      for (String tag : tags) {
        engine.invalidateTag(tag);
      }
    } catch (CacheException e) {
      if (Bindings.failMode(engine.config()) == FailMode.CLOSED) {
        throw e;
      }
      log.failure(operation, e);
    }
  }

  private void evict(Operation operation, Operation.EvictSpec spec, String name,
      @Nullable Object[] keyArguments) throws Throwable {
    List<Operation> readers = registry.readersOf(name);
    Set<String> engines = new LinkedHashSet<>();
    if (!spec.engine().isEmpty()) {
      engines.add(spec.engine());
    } else {
      readers.forEach(reader -> engines.add(Objects.requireNonNull(reader.cached).engine()));
      if (engines.isEmpty()) {
        engines.add("");
      }
    }
    for (String engineName : engines) {
      Target target;
      try {
        target = target(name, engineName, readers, !spec.engine().isEmpty());
      } catch (Bindings.BindingFailure failure) {
        log.absorb(operation, failure);
        continue;
      }
      if (target == null) {
        continue;
      }
      try {
        if (spec.allEntries()) {
          target.cache.clear();
        } else {
          for (Object key : keys(target, operation, keyArguments, readers)) {
            target.cache.evict(key);
          }
        }
      } catch (CacheException | IllegalArgumentException e) {
        if (target.failMode == FailMode.CLOSED) {
          throw e;
        }
        log.failure(operation, e);
      }
    }
  }

  /**
   * The cache to evict from on one engine, or null when it cannot hold anything. {@code
   * anyReader}: the eviction names the engine, so any reader's binding there will do.
   */
  private @Nullable Target target(String name, String engineName, List<Operation> readers,
      boolean anyReader) throws Bindings.BindingFailure {
    for (Operation reader : readers) {
      String readerEngine = Objects.requireNonNull(reader.cached).engine();
      if (anyReader || readerEngine.equals(engineName)) {
        Binding binding = bindings.bind(reader, engineName);
        return new Target(binding.cache, binding.inProcess, binding.failMode,
            Binding.keyTextLimit(binding.engine.config().forCache(name)), binding);
      }
    }
    CacheEngine engine = bindings.engine(engineName, EngineContext.current().orElse(null));
    boolean inProcess = engine.capabilities().contains(Capability.IN_PROCESS);
    FailMode failMode = Bindings.failMode(engine.config());
    try {
      if (inProcess && !engine.cacheNames().contains(name)) {
        return null; // its entries would live in this process, in a cache never opened
      }
      Class<?> keyType = inProcess ? Object.class : String.class;
      @SuppressWarnings("unchecked")
      Cache<Object, Object> cache = (Cache<Object, Object>) engine.cache(name, keyType,
          Object.class);
      return new Target(cache, inProcess, failMode,
          Binding.keyTextLimit(engine.config().forCache(name)), null);
    } catch (CacheException | IllegalArgumentException e) {
      throw new Bindings.BindingFailure(e, failMode);
    }
  }

  /** The keys the entry of these arguments may have in {@code target}. */
  private static List<Object> keys(Target target, Operation eviction,
      @Nullable Object[] keyArguments, List<Operation> readers) {
    List<Object> keys = new ArrayList<>(3);
    if (target.inProcess) {
      // In-process keys are the arguments themselves when their types compare by content, and
      // text otherwise, which some arguments cannot have.
      keys.add(new CallKey(keyArguments));
      if (keyArguments.length == 1 && keyArguments[0] != null) {
        keys.add(keyArguments[0]);
      }
      try {
        keys.add(CacheKeys.limitedTo(CacheKeys.of(keyArguments), target.maxKeyBytes));
      } catch (IllegalArgumentException e) {
        // No reader could have stored it under a text key either.
      }
    } else {
      keys.add(CacheKeys.limitedTo(CacheKeys.of(keyArguments), target.maxKeyBytes));
    }
    for (Operation reader : readers) {
      if (reader.keyGenerator != null && Arrays.equals(reader.keyTypes(), eviction.keyTypes())) {
        keys.add(CacheKeys.limitedTo(
            CacheKeys.of(reader.keyArgumentsForEviction(keyArguments)), target.maxKeyBytes));
      }
    }
    // A tagged cache's keys carry its tags' generation (the readers of a cache share tags).
    TagTemplates tags = readers.isEmpty() ? null : readers.get(0).tags;
    if (tags != null && target.binding() != null) {
      long generation = TagGenerations.of(target.binding().engine, tags.render(keyArguments));
      keys.replaceAll(key -> target.binding().tagged(key, generation));
    }
    return keys;
  }

  /** {@code binding}: a reader's, when one is known, which can tag keys. */
  private record Target(Cache<Object, Object> cache, boolean inProcess, FailMode failMode,
      long maxKeyBytes, @Nullable Binding binding) {}
}
