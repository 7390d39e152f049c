package io.ucache.interceptor;

import io.ucache.Cache;
import io.ucache.CacheException;
import io.ucache.CacheLoader;
import io.ucache.CachedValue;
import io.ucache.FailMode;
import io.ucache.annotation.CallCondition;
import io.ucache.annotation.ResultCondition;
import io.ucache.context.EngineContext;
import io.ucache.spi.AbstractCache;
import io.ucache.spi.DetachableLoader;
import io.ucache.spi.ObservedCall;
import io.ucache.spi.UncachedValue;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One call of an annotated method, from the hit path down: the cached value, or the method run
 * and its value cached (once per key at a time with {@code sync}), then the evictions it asks
 * for. {@code CompletableFuture} results go to {@link SharedFutures}, evictions to
 * {@link Evictions}. An engine failure, a key without a canonical form, or a cache the engine
 * cannot open makes the method run uncached, unless the engine's {@code fail-mode} is closed.
 * What the method throws reaches the caller unchanged and is never cached. Thread-safe.
 */
final class CachedCalls {

  private final AtomicBoolean closed;
  private final Bindings bindings;
  private final SharedFutures futures;
  private final Evictions evictions;
  private final Puts puts;
  private final BulkCalls bulk;
  private final FailureLog log;
  private volatile @Nullable ReactiveCalls reactive;

  CachedCalls(AtomicBoolean closed, Bindings bindings, Evictions evictions, Puts puts,
      FailureLog log) {
    this.closed = closed;
    this.bindings = bindings;
    this.futures = new SharedFutures(log);
    this.evictions = evictions;
    this.puts = puts;
    this.bulk = new BulkCalls(log);
    this.log = log;
  }

  /**
   * One call of an annotated method. The common case, a plain result from an in-process engine
   * keyed by the method's one argument outside every context, takes the operation's hit path:
   * it was found eligible when the operation was bound, so a hit checks two flags and reads the
   * cache.
   */
  @Nullable Object call(Operation operation, @Nullable Object @Nullable [] args,
      Proceed invocation) throws Throwable {
    return call(operation, args, invocation, GIVEN);
  }

  /** A {@link Proceed} made when a call needs one: never for a hit. */
  @FunctionalInterface
  interface ProceedFactory<C> {
    Proceed proceedFor(C source, @Nullable Object @Nullable [] args);
  }

  private static final ProceedFactory<Proceed> GIVEN = (proceed, args) -> proceed;

  /**
   * {@link #call(Operation, Object[], Proceed)} with the way on to the method made from
   * {@code source} only when the call runs it or may run it: a hit allocates nothing for it.
   */
  <C> @Nullable Object call(Operation operation, @Nullable Object @Nullable [] args, C source,
      ProceedFactory<? super C> proceedOf) throws Throwable {
    Object key = operation.hitPath == null ? null
        : Objects.requireNonNull(args)[operation.singleKey];
    Binding binding = hitPathFor(operation, key);
    if (key == null || binding == null) {
      return intercept(operation, args, proceedOf.proceedFor(source, args));
    }
    CallCondition condition = operation.condition;
    if (condition != null && !condition.test(operation.method, args)) {
      return proceedOf.proceedFor(source, args).proceed(args);
    }
    Object hit;
    try {
      hit = read(binding, key);
    } catch (CacheException e) {
      return degrade(operation, binding, e, args, proceedOf.proceedFor(source, args));
    }
    return hit != null ? hit : load(operation, Objects.requireNonNull(operation.cached), binding,
        key, args, proceedOf.proceedFor(source, args));
  }

  /** What {@link #cached} returns when the call must take {@link #call}'s way. */
  static final Object NOT_ON_HIT_PATH = new Object();
  /** What {@link #cached} returns for a miss it counted: the call continues at {@link #afterMiss}. */
  static final Object MISSED = new Object();

  /**
   * The hit path of {@link #call} for a caller that has not yet made anything of the call's
   * arguments but {@code key}: the cached value, {@link #MISSED} (looked up and counted), or
   * {@link #NOT_ON_HIT_PATH}. A proxy's dispatch takes it so that the argument array, passed
   * on only after a miss, never escapes a hit and the JIT can remove it.
   */
  Object cached(Operation operation, @Nullable Object key) {
    Binding binding = operation.condition == null ? hitPathFor(operation, key) : null;
    if (key == null || binding == null) {
      return NOT_ON_HIT_PATH;
    }
    Object hit;
    try {
      hit = read(binding, key);
    } catch (CacheException e) {
      return NOT_ON_HIT_PATH; // call() reads again and degrades as the fail mode says
    }
    return hit != null ? hit : MISSED;
  }

  /**
   * The operation's hit path if a call with {@code key} may take it: the key is there, and the
   * interceptor is open and outside every context; else null.
   */
  private @Nullable Binding hitPathFor(Operation operation, @Nullable Object key) {
    Binding binding = operation.hitPath;
    return binding == null || key == null || closed.get() || EngineContext.current().isPresent()
        ? null : binding;
  }

  /** The hit path's read of {@code key}. */
  private static @Nullable Object read(Binding binding, Object key) {
    // A bare key reaches the engine's hash table typed as Object, where hashCode() and equals()
    // are megamorphic calls (every map in the JVM makes them); typed as a String, the commonest
    // key, at this call, the JIT inlines both. JFR had a third of a hit's samples on that
    // hashCode() call.
    return key instanceof String text ? binding.cache.get(text) : binding.cache.get(key);
  }

  /** The rest of a call after {@link #cached} said {@link #MISSED}: the method runs and is cached. */
  @Nullable Object afterMiss(Operation operation, Object key, @Nullable Object @Nullable [] args,
      Proceed invocation) throws Throwable {
    Binding binding = operation.hitPath;
    if (binding == null) { // rebound since the lookup: the whole way (the miss counts again)
      return call(operation, args, invocation);
    }
    return load(operation, Objects.requireNonNull(operation.cached), binding, key, args,
        invocation);
  }

  private @Nullable Object intercept(Operation operation, @Nullable Object @Nullable [] args,
      Proceed invocation) throws Throwable {
    if (closed.get()) {
      throw new IllegalStateException("The UCache interceptor is closed");
    }
    Operation.EvictSpec evict = operation.evict;
    if (evict != null && evict.beforeInvocation()) {
      evictions.evict(operation, args);
    }
    CacheSpec spec = operation.cached;
    CallCondition condition = operation.condition;
    Object result;
    if (condition != null && !condition.test(operation.method, Operation.arguments(args))) {
      result = invocation.proceed(args);
    } else if (spec != null) {
      result = cached(operation, spec, args, invocation);
    } else if (operation.put != null) {
      result = puts.call(operation, args, invocation);
    } else {
      result = invocation.proceed(args);
    }
    if (evict != null && !evict.beforeInvocation()) {
      // Only once the method returned normally: an exception skips this.
      evictions.evict(operation, args);
    }
    return result;
  }

  /** A call of a {@code @UCache} method: from the cache, or run and cached. */
  private @Nullable Object cached(Operation operation, CacheSpec spec,
      @Nullable Object @Nullable [] args, Proceed invocation) throws Throwable {
    Binding binding = operation.binding;
    try {
      // Outside every context, the engine of a binding made outside one for the same engine
      // name cannot have changed (the interceptor's engines live until it closes): the common
      // case looks nothing up. (An eviction naming another engine rebinds the operation there.)
      if (binding == null || binding.fromContext || !binding.engineName.equals(spec.engine())
          || EngineContext.current().isPresent()) {
        binding = bindings.bind(operation, spec.engine());
      }
    } catch (Bindings.BindingFailure failure) {
      log.absorb(operation, failure);
      return invocation.proceed(args);
    }
    if (operation.bulkParameter >= 0) {
      return bulk.call(operation, spec, binding, args, invocation);
    }
    Object key;
    try {
      key = binding.keyOfCall(operation, args);
    } catch (IllegalArgumentException e) {
      // An argument without a canonical form, passed through an Object or interface parameter,
      // or a string with a lone surrogate: the call goes around the cache, counted.
      if (binding.failMode == FailMode.CLOSED) {
        throw e;
      }
      if (binding.cache instanceof AbstractCache<?, ?, ?> template) {
        template.countUncacheable();
      }
      log.failure(operation, e);
      return invocation.proceed(args);
    }
    TagTemplates tags = operation.tags;
    if (tags != null) {
      try {
        key = binding.tagged(key, TagGenerations.of(binding.engine,
            tags.render(operation.selectKeyArguments(args))));
      } catch (CacheException e) {
        return degrade(operation, binding, e, args, invocation);
      }
    }
    return switch (spec.result()) {
      case FUTURE -> futures.call(operation, spec, binding, key, args, invocation);
      case MONO, FLUX -> reactive().call(operation, spec, binding, key, args, invocation);
      default -> value(operation, spec, binding, key, args, invocation);
    };
  }

  /** The reactive calls, made on first use: Reactor is on the class path only when needed. */
  private ReactiveCalls reactive() {
    ReactiveCalls calls = reactive;
    if (calls == null) {
      synchronized (this) {
        calls = reactive;
        if (calls == null) {
          calls = new ReactiveCalls(log);
          reactive = calls;
        }
      }
    }
    return calls;
  }

  /**
   * A plain or {@code Optional} result: from the cache, or computed and cached. On a remote or
   * disk engine with an observation registry, the lookup, the method's run and the store are one
   * observation, the run a child of it.
   */
  private @Nullable Object value(Operation operation, CacheSpec spec, Binding binding,
      Object key, @Nullable Object @Nullable [] args, Proceed invocation) throws Throwable {
    ObservedCall observed = binding.cache instanceof AbstractCache<Object, Object, ?> template
        ? template.startObservedCall(key) : null;
    if (observed == null) {
      return valueNow(operation, spec, binding, key, args, invocation);
    }
    try {
      return valueNow(operation, spec, binding, key, args, invocation);
    } catch (Throwable t) {
      observed.failed(t);
      throw t;
    } finally {
      observed.stop();
    }
  }

  private @Nullable Object valueNow(Operation operation, CacheSpec spec, Binding binding,
      Object key, @Nullable Object @Nullable [] args, Proceed invocation) throws Throwable {
    boolean optional = spec.result() == CacheSpec.Result.OPTIONAL;
    if (binding.refreshes) {
      return load(operation, spec, binding, key, args, invocation);
    }
    try {
      if (binding.nullValues) {
        CachedValue<Object> hit = binding.cache.lookup(key);
        if (hit != null) {
          return optional ? Optional.ofNullable(hit.value()) : hit.value();
        }
      } else {
        Object hit = binding.cache.get(key);
        if (hit != null) {
          return optional ? Optional.of(hit) : hit;
        }
      }
    } catch (CacheException e) {
      return degrade(operation, binding, e, args, invocation);
    }
    return load(operation, spec, binding, key, args, invocation);
  }

  /**
   * After a miss, or for every call on a cache that refreshes entries: runs the method and
   * caches its value (once per key at a time with sync).
   */
  private @Nullable Object load(Operation operation, CacheSpec spec, Binding binding,
      Object key, @Nullable Object @Nullable [] args, Proceed invocation) throws Throwable {
    boolean optional = spec.result() == CacheSpec.Result.OPTIONAL;
    Computed computed = new Computed(operation, invocation, args, optional);
    Object stored = Binding.storable(key);
    Object value;
    try {
      if (binding.refreshes) {
        // One get(key, loader): the entry's age decides whether it is returned, returned and
        // refreshed in the background, or loaded now (once per key at a time, whatever sync
        // says); the method runs again for a refresh with a copy of the arguments.
        value = binding.cache.get(stored, computed);
      } else if (spec.sync()) {
        value = loadAfterMiss(binding.cache, stored, computed);
      } else {
        long stamp = loadStamp(binding.cache, stored);
        value = runLoader(binding.cache, stored, computed);
        if (value != null || binding.nullValues) {
          storeComputed(binding.cache, stored, value, stamp);
        }
      }
    } catch (InvocationFailure failure) {
      throw failure.getCause();
    } catch (UncachedValue kept) {
      value = kept.value(); // the unless condition keeps it out of the cache
    } catch (CacheException e) {
      if (binding.failMode == FailMode.CLOSED) {
        throw e;
      }
      log.failure(operation, e);
      if (!computed.done) {
        // The engine failed before the method ran: run it now, its exceptions as they are.
        return invocation.proceed(args);
      }
      // The method ran, only the write failed: never run it twice.
      value = computed.value;
    }
    return optional ? Optional.ofNullable(value) : value;
  }

  /** A failed cache read: rethrown with fail-mode closed, else the method runs uncached. */
  @Nullable Object degrade(Operation operation, Binding binding, CacheException failure,
      @Nullable Object @Nullable [] args, Proceed invocation) throws Throwable {
    if (binding.failMode == FailMode.CLOSED) {
      throw failure;
    }
    log.failure(operation, failure);
    return invocation.proceed(args);
  }

  /**
   * The cache's single-flight load after the miss this call has already counted: one logical
   * miss counts once. A cache not on the engine template gets {@code get(key, loader)}.
   */
  private static @Nullable Object loadAfterMiss(Cache<Object, Object> cache, Object key,
      CacheLoader<Object, Object> loader) {
    return cache instanceof AbstractCache<Object, Object, ?> template
        ? template.loadAfterMiss(key, loader) : cache.get(key, loader);
  }

  /**
   * Runs the method as the cache's loads run (counted, observed), for a call that stores its
   * value itself; a cache not on the engine template gets the bare run.
   */
  private static @Nullable Object runLoader(Cache<Object, Object> cache, Object key,
      Computed computed) {
    return cache instanceof AbstractCache<Object, Object, ?> template
        ? template.runLoader(key, computed) : computed.load(key);
  }

  /** A stamp to take before a call runs its method itself (no single-flight, a future). */
  static long loadStamp(Cache<Object, Object> cache, Object key) {
    return cache instanceof AbstractCache<Object, Object, ?> template ? template.loadStamp(key) : 0;
  }

  /**
   * Stores what a call computed since {@code stamp}: an eviction of its key meanwhile wins (the
   * value may predate it), and a value written meanwhile stays. A cache not on the engine
   * template gets a plain put.
   */
  static void storeComputed(Cache<Object, Object> cache, Object key, @Nullable Object value,
      long stamp) {
    if (cache instanceof AbstractCache<Object, Object, ?> template) {
      template.storeLoaded(key, value, stamp);
    } else {
      cache.put(key, value);
    }
  }

  /**
   * The method's run as a loader: its value unwrapped, its failure carried unchanged. Detached
   * for a background refresh, it runs a copy of the invocation with a copy of the arguments.
   */
  private static final class Computed implements DetachableLoader<Object, Object> {
    private final Operation operation;
    private final Proceed invocation;
    private final @Nullable Object @Nullable [] args;
    private final boolean optional;
    boolean done;
    @Nullable Object value;

    Computed(Operation operation, Proceed invocation, @Nullable Object @Nullable [] args,
        boolean optional) {
      this.operation = operation;
      this.invocation = invocation;
      this.args = args;
      this.optional = optional;
    }

    /** What the method throws reaches the refresh as it is, not wrapped for a caller. */
    @Override
    public CacheLoader<Object, Object> detach() {
      Computed later = new Computed(operation, invocation.detach(),
          args == null ? null : args.clone(), optional);
      return key -> {
        try {
          return later.load(key);
        } catch (InvocationFailure failure) {
          Throwable thrown = failure.getCause();
          if (thrown instanceof Exception e) {
            throw e;
          }
          if (thrown instanceof Error e) {
            throw e;
          }
          throw new IllegalStateException(thrown);
        }
      };
    }

    @Override
    public @Nullable Object load(Object key) {
      Object result;
      try {
        result = invocation.proceed(args);
      } catch (Throwable t) {
        throw new InvocationFailure(t);
      }
      if (optional) {
        result = result == null ? null : ((Optional<?>) result).orElse(null);
      }
      value = result;
      done = true;
      ResultCondition unless = operation.unless;
      if (unless != null && unless.test(operation.method, Operation.arguments(args), result)) {
        throw new UncachedValue(result);
      }
      return result;
    }
  }
}
