package io.ucache.interceptor;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.CacheException;
import io.ucache.CachedValue;
import io.ucache.Capability;
import io.ucache.EngineUnavailableException;
import io.ucache.FailMode;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import io.ucache.context.EngineContext;
import io.ucache.context.EngineManager;
import io.ucache.spi.AbstractCache;
import io.ucache.spi.CircuitBreaker;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Applies {@link UCache} and {@link UCacheEvict}: the Spring-free core behind both plain Java
 * proxies ({@link #proxy}) and the Spring advisor ({@link #invoke}).
 *
 * <pre>{@code
 * try (UCacheInterceptor ucache = UCacheInterceptor.create()) {
 *   PriceService prices = ucache.proxy(PriceService.class, new RemotePriceService());
 *   prices.price("apple"); // runs the method
 *   prices.price("apple"); // served from the cache
 * }
 * }</pre>
 *
 * <p><b>Engines.</b> A call inside an {@link EngineContext} uses the context's engine (unless the
 * annotation names another engine); otherwise the interceptor's own: the engine it was given
 * ({@link #using(CacheEngine)}), or engines it creates on first use from an
 * {@link EngineManager} and a default configuration and closes in {@link #close()}.
 *
 * <p><b>Failures.</b> Unless the engine's configuration sets {@code fail-mode=closed}, an engine
 * failure never breaks an annotated method: it is logged (at most once a minute) and the method
 * runs. What the method throws reaches the caller unchanged and is never cached. A remote
 * engine's own {@link CircuitBreaker} makes it answer at once while its server is down; an engine
 * this interceptor creates and cannot start (its server is down at startup) is not started again
 * by every call: after {@code circuit-breaker.failures} failed starts, calls skip it for
 * {@code circuit-breaker.cool-down}, then one call tries again.
 *
 * <p><b>Cost.</b> Annotations are parsed once per method. A hit on an in-process engine looks up
 * the method's parsed operation, the current context and the cache, builds one key object (no
 * string) and reads the cache: no reflection. Disk and remote engines get a canonical string key,
 * identical in every JVM.
 *
 * <p>Thread-safe. Nulls: {@code args} may be null for a method without parameters; nothing else.
 */
public final class UCacheInterceptor implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(UCacheInterceptor.class.getName());
  private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
  /** Marks methods without cache annotations in {@link #operations}. */
  private static final Object NONE = new Object();

  private final @Nullable CacheEngine givenEngine;
  private final CacheConfig defaults;
  /** The engines this interceptor creates (none when given one), started on first use. */
  private final @Nullable OwnEngines ownEngines;
  /**
   * Parsed operations by target class, then method ({@link #NONE} for methods without
   * annotations): the implementation's annotations differ from one target class to another.
   */
  private final ConcurrentHashMap<Class<?>, ConcurrentHashMap<Method, Object>> operations =
      new ConcurrentHashMap<>();
  /** Operations parsed from a method's own annotations, shared by targets that add none. */
  private final ConcurrentHashMap<Method, Object> declaredOperations = new ConcurrentHashMap<>();
  /** The @UCache operations of each cache name, to find what an eviction removes. */
  private final ConcurrentHashMap<String, List<Operation>> cachedByName = new ConcurrentHashMap<>();
  /** Guards parsing and registration, which happen once per method and target class. */
  private final Object registration = new Object();
  /**
   * {@code CompletableFuture} results in flight, by cache and key: shared by every caller of the
   * interceptor, whichever {@link Binding} it went through.
   */
  private final ConcurrentHashMap<InFlight, CompletableFuture<@Nullable Object>> inFlight =
      new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Caches opened for methods on engines that outlive a call (not a context's), by identity. */
  private final Map<Cache<?, ?>, Boolean> openedCaches = new IdentityHashMap<>();
  private final List<Consumer<? super Cache<?, ?>>> cacheListeners = new ArrayList<>();
  private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

  private UCacheInterceptor(@Nullable CacheEngine givenEngine, @Nullable EngineManager manager,
      CacheConfig defaults) {
    this.givenEngine = givenEngine;
    this.defaults = defaults;
    this.ownEngines = manager == null ? null : new OwnEngines(manager, defaults);
  }

  /**
   * An interceptor whose default engine is configured by {@link CacheConfig#fromEnvironment()}
   * (caffeine when nothing is configured), created on first use and closed by {@link #close()}.
   */
  public static UCacheInterceptor create() {
    return using(EngineManager.getDefault(), CacheConfig.fromEnvironment());
  }

  /**
   * An interceptor that creates its engines with {@code manager}: the default engine from
   * {@code defaults}, and an engine named by an annotation from {@code defaults} with that
   * {@code engine}. It closes them in {@link #close()}.
   */
  public static UCacheInterceptor using(EngineManager manager, CacheConfig defaults) {
    return new UCacheInterceptor(null, Objects.requireNonNull(manager, "manager"),
        Objects.requireNonNull(defaults, "defaults"));
  }

  /**
   * An interceptor whose engine is {@code engine}, which the caller keeps owning and closing. An
   * annotation naming another engine fails when parsed.
   */
  public static UCacheInterceptor using(CacheEngine engine) {
    return new UCacheInterceptor(Objects.requireNonNull(engine, "engine"), null, engine.config());
  }

  /**
   * A JDK proxy of the interface {@code type} whose annotated methods are cached, delegating to
   * {@code target}. Annotations may sit on the interface's methods or on the target's; those on
   * the target's make its method the identity in keys and default names, so two implementations
   * of one interface never share entries through their own annotations (annotations on the
   * interface are shared by every implementation proxied by this interceptor). Every method's
   * annotations are parsed now, so a contradiction fails here, naming the method. The interface
   * need not be public, as long as its package is open to this library (any package on the
   * class path is).
   *
   * @throws IllegalArgumentException if {@code type} is not an interface, or cannot be called
   * @throws CacheConfigException if a method's annotations contradict each other, or those of
   *     another method of the same cache
   */
  public <T> T proxy(Class<T> type, T target) {
    Objects.requireNonNull(target, "target");
    if (!type.isInterface()) {
      throw new IllegalArgumentException(type.getName() + " is not an interface: JDK proxies need "
          + "one. For classes, use the Spring integration (CGLIB) or extract an interface.");
    }
    Map<Method, Dispatch> byMethod = new HashMap<>();
    for (Method method : type.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue; // an interface's static methods are never called through a proxy
      }
      Object parsed = parsed(method, target.getClass());
      byMethod.put(method, new Dispatch(target, callable(method, type, target),
          parsed instanceof Operation operation ? operation : null));
    }
    DispatchTable table = new DispatchTable(byMethod);
    InvocationHandler handler = (proxy, method, args) -> {
      Dispatch dispatch = table.get(method);
      if (dispatch == null) {
        return callTarget(target, method, args); // equals, hashCode, toString
      }
      Operation operation = dispatch.operation;
      if (operation == null) {
        return dispatch.proceed(args);
      }
      // The dispatch itself runs the method on a miss: a hit allocates no invocation object.
      return call(operation, args, dispatch);
    };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  /**
   * A proxy's dispatches by method. A JDK proxy passes the same {@code Method} objects on every
   * call, so they are looked up by identity, which is cheaper than {@code Method.equals}; each
   * is found by equality once, then added to a copy-on-write identity map.
   */
  private static final class DispatchTable {
    private final Map<Method, Dispatch> byEquality;
    private volatile Map<Method, Dispatch> byIdentity = new IdentityHashMap<>();

    DispatchTable(Map<Method, Dispatch> byEquality) {
      this.byEquality = byEquality;
    }

    @Nullable Dispatch get(Method method) {
      Dispatch known = byIdentity.get(method);
      if (known != null) {
        return known;
      }
      Dispatch found = byEquality.get(method);
      if (found != null) {
        synchronized (this) {
          Map<Method, Dispatch> copy = new IdentityHashMap<>(byIdentity);
          copy.put(method, found);
          byIdentity = copy;
        }
      }
      return found;
    }
  }

  /** How a proxy handles one method: the method to call on the target, and its operation. */
  private static final class Dispatch implements Proceed {
    private final Object target;
    private final Method method;
    final @Nullable Operation operation;

    Dispatch(Object target, Method method, @Nullable Operation operation) {
      this.target = target;
      this.method = method;
      this.operation = operation;
    }

    @Override
    public @Nullable Object proceed(@Nullable Object @Nullable [] args) throws Throwable {
      return callTarget(target, method, args);
    }
  }

  /**
   * Runs the intercepted method with the call's arguments: a proxy's {@link Dispatch}, made once
   * per method, or an advisor's {@link Invocation}.
   */
  @FunctionalInterface
  private interface Proceed {
    @Nullable Object proceed(@Nullable Object @Nullable [] args) throws Throwable;
  }

  /**
   * {@code method} in a form this class may call on {@code target}: a method of a non-public
   * interface is made accessible once, here, rather than failing on every call.
   *
   * @throws IllegalArgumentException if it cannot be made accessible (a package of a named
   *     module that is not open to this library)
   */
  private static Method callable(Method method, Class<?> type, Object target) {
    if (method.canAccess(target) || method.trySetAccessible()) {
      return method;
    }
    throw new IllegalArgumentException(type.getName() + " is not accessible to UCache, so its "
        + "methods cannot be called through a proxy: make it public, or open its package to "
        + "the module of " + UCacheInterceptor.class.getName());
  }

  /**
   * Runs one call of {@code method} on {@code target}: from the cache, or through
   * {@code invocation}, applying the method's annotations. Methods without them just proceed.
   * This is what an AOP advisor calls.
   */
  public @Nullable Object invoke(Object target, Method method, @Nullable Object @Nullable [] args,
      Invocation invocation) throws Throwable {
    Class<?> targetClass = target.getClass();
    ConcurrentHashMap<Method, Object> forClass = operations.get(targetClass);
    Object parsed = forClass == null ? null : forClass.get(method);
    if (parsed == null) {
      parsed = parsed(method, targetClass);
    }
    if (parsed == NONE) {
      return invocation.proceed();
    }
    return call((Operation) parsed, args, a -> invocation.proceed());
  }

  /**
   * Calls {@code listener} with each cache this interceptor has opened for an annotated method,
   * now for those opened so far and later for each new one, so metrics can follow caches that
   * exist only behind annotations. Caches of an {@link EngineContext}'s engine are left out:
   * they close with their block. The listener runs on the thread that opened the cache, once per
   * cache; it must not call this interceptor.
   */
  public void onCacheOpened(Consumer<? super Cache<?, ?>> listener) {
    Objects.requireNonNull(listener, "listener");
    List<Cache<?, ?>> known;
    synchronized (openedCaches) {
      cacheListeners.add(listener);
      known = List.copyOf(openedCaches.keySet());
    }
    known.forEach(listener);
  }

  private void opened(Cache<?, ?> cache) {
    List<Consumer<? super Cache<?, ?>>> listeners;
    synchronized (openedCaches) {
      if (openedCaches.put(cache, Boolean.TRUE) != null || cacheListeners.isEmpty()) {
        return;
      }
      listeners = List.copyOf(cacheListeners);
    }
    listeners.forEach(listener -> listener.accept(cache));
  }

  /** Closes the engines this interceptor created. Idempotent; calls afterwards fail. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownEngines != null) {
      ownEngines.close();
    }
  }

  @Override
  public String toString() {
    return "UCacheInterceptor{engine=" + (givenEngine != null ? givenEngine.name()
        : defaults.engine().orElse("default")) + ", methods=" + cachedByName.values().stream()
        .mapToInt(List::size).sum() + "}";
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * The parsed annotations of {@code method} called on a {@code targetClass}: an
   * {@link Operation}, or {@link #NONE}. Parsed once per method and target class.
   *
   * @throws CacheConfigException naming the method when its annotations are invalid
   */
  private Object parsed(Method method, Class<?> targetClass) {
    ConcurrentHashMap<Method, Object> forClass =
        operations.computeIfAbsent(targetClass, c -> new ConcurrentHashMap<>());
    Object known = forClass.get(method);
    if (known != null) {
      return known;
    }
    synchronized (registration) {
      known = forClass.get(method);
      if (known != null) {
        return known;
      }
      Method implementation = implementation(method, targetClass);
      if (Operation.isAnnotated(implementation)) {
        known = register(Operation.parse(method, implementation));
      } else {
        known = declaredOperations.get(method);
        if (known == null) {
          known = register(Operation.parse(method, null));
          declaredOperations.put(method, known);
        }
      }
      forClass.put(method, known);
      return known;
    }
  }

  private static @Nullable Method implementation(Method method, Class<?> targetClass) {
    if (targetClass.isInterface() || method.getDeclaringClass() == targetClass) {
      return null;
    }
    try {
      return targetClass.getMethod(method.getName(), method.getParameterTypes());
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /** Checks a newly parsed operation against this interceptor and the others of its cache. */
  private Object register(@Nullable Operation operation) {
    if (operation == null) {
      return NONE;
    }
    checkEngine(operation, operation.cached == null ? null : operation.cached.engine());
    checkEngine(operation, operation.evict == null ? null : operation.evict.engine());
    Operation.CacheSpec spec = operation.cached;
    if (spec != null) {
      List<Operation> siblings = cachedByName.computeIfAbsent(spec.name(),
          n -> new CopyOnWriteArrayList<>());
      for (Operation sibling : siblings) {
        Operation.CacheSpec other = Objects.requireNonNull(sibling.cached);
        // One cache has one configuration: differing settings would make whichever method
        // runs second fail when it opens the cache, depending on call order.
        if (other.engine().equals(spec.engine()) && other.valueType() != spec.valueType()) {
          throw new CacheConfigException(null, "Invalid cache annotations on " + operation
              + ": cache '" + spec.name() + "' holds " + other.valueType().getName() + " values "
              + "for " + sibling + ", not " + spec.valueType().getName() + "; give each its "
              + "own cache name");
        }
        if (other.engine().equals(spec.engine()) && !other.settings().equals(spec.settings())) {
          throw new CacheConfigException(null, "Invalid cache annotations on " + operation
              + ": cache '" + spec.name() + "' is also used by " + sibling + " with other "
              + "settings (" + spec.settings().describe() + " here, " + other.settings().describe()
              + " there); methods sharing a cache must give it the same ttl, maxSize and "
              + "nullValues");
        }
      }
      siblings.add(operation);
    }
    return operation;
  }

  private void checkEngine(Operation operation, @Nullable String engine) {
    if (givenEngine != null && engine != null && !engine.isEmpty()
        && !engine.equals(givenEngine.name())) {
      throw new CacheConfigException("engine", "Invalid cache annotations on " + operation
          + ": engine '" + engine + "' asked for, but this interceptor was given only the '"
          + givenEngine.name() + "' engine");
    }
  }

  /**
   * One call of an annotated method. The common case, a plain result from an in-process engine
   * keyed by the method's one argument outside every context, takes {@link #hitPath}: it was
   * found eligible when the operation was bound, so a hit checks three flags and reads the cache.
   */
  private @Nullable Object call(Operation operation, @Nullable Object @Nullable [] args,
      Proceed invocation) throws Throwable {
    Binding binding = operation.hitPath;
    if (binding == null) {
      return intercept(operation, args, invocation);
    }
    Object key = Objects.requireNonNull(args)[operation.singleKey];
    if (key == null || binding.sharedKeys() || closed.get()
        || EngineContext.current().isPresent()) {
      return intercept(operation, args, invocation);
    }
    Object hit;
    try {
      // A bare key reaches the engine's hash table typed as Object, where hashCode() and
      // equals() are megamorphic calls (every map in the JVM makes them); typed as a String, the
      // commonest key, at this call, the JIT inlines both. JFR had a third of a hit's samples
      // on that hashCode() call.
      hit = key instanceof String text ? binding.cache.get(text) : binding.cache.get(key);
    } catch (CacheException e) {
      return degrade(operation, binding, e, args, invocation);
    }
    return hit != null ? hit
        : load(operation, Objects.requireNonNull(operation.cached), binding, key, args, invocation);
  }

  private @Nullable Object intercept(Operation operation, @Nullable Object @Nullable [] args,
      Proceed invocation) throws Throwable {
    if (closed.get()) {
      throw new IllegalStateException("The UCache interceptor is closed");
    }
    Operation.CacheSpec spec = operation.cached;
    Object result = spec == null ? invocation.proceed(args)
        : cached(operation, spec, args, invocation);
    if (operation.evict != null) {
      // Only once the method returned normally: an exception skips this.
      evict(operation, args);
    }
    return result;
  }

  /** A call of a {@link UCache} method: from the cache, or run and cached. */
  private @Nullable Object cached(Operation operation, Operation.CacheSpec spec,
      @Nullable Object @Nullable [] args, Proceed invocation) throws Throwable {
    Binding binding = operation.binding;
    try {
      // Outside every context, the engine of a binding made outside one for the same engine
      // name cannot have changed (the interceptor's engines live until it closes): the common
      // case looks nothing up. (An eviction naming another engine rebinds the operation there.)
      if (binding == null || binding.fromContext || !binding.engineName.equals(spec.engine())
          || EngineContext.current().isPresent()) {
        binding = binding(operation, spec.engine());
      }
    } catch (BindingFailure failure) {
      if (failure.failMode == FailMode.CLOSED) {
        throw failure.getCause();
      }
      logFailure(operation, failure.getCause());
      return invocation.proceed(args);
    }
    Object key;
    try {
      key = binding.keyOfCall(operation, args);
    } catch (IllegalArgumentException e) {
      // An argument without a canonical form, passed through an Object or interface parameter.
      if (binding.failMode == FailMode.CLOSED) {
        throw e;
      }
      logFailure(operation, e);
      return invocation.proceed(args);
    }
    return spec.result() == Operation.Result.FUTURE
        ? future(operation, spec, binding, key, args, invocation)
        : value(operation, spec, binding, key, args, invocation);
  }

  /** A plain or {@code Optional} result: from the cache, or computed and cached. */
  private @Nullable Object value(Operation operation, Operation.CacheSpec spec, Binding binding,
      Object key, @Nullable Object @Nullable [] args, Proceed invocation) throws Throwable {
    boolean optional = spec.result() == Operation.Result.OPTIONAL;
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

  /** After a miss: runs the method and caches its value (once per key at a time with sync). */
  private @Nullable Object load(Operation operation, Operation.CacheSpec spec, Binding binding,
      Object key, @Nullable Object @Nullable [] args, Proceed invocation) throws Throwable {
    boolean optional = spec.result() == Operation.Result.OPTIONAL;
    Computed computed = new Computed(invocation, args, optional);
    Object stored = Binding.storable(key);
    Object value;
    try {
      if (spec.sync()) {
        value = loadAfterMiss(binding.cache, stored, computed);
      } else {
        long stamp = loadStamp(binding.cache, stored);
        value = computed.load(stored);
        if (value != null || binding.nullValues) {
          storeComputed(binding.cache, stored, value, stamp);
        }
      }
    } catch (InvocationFailure failure) {
      throw failure.getCause();
    } catch (CacheException e) {
      if (binding.failMode == FailMode.CLOSED) {
        throw e;
      }
      logFailure(operation, e);
      if (!computed.done) {
        // The engine failed before the method ran: run it now, its exceptions as they are.
        return invocation.proceed(args);
      }
      // The method ran, only the write failed: never run it twice.
      value = computed.value;
    }
    return optional ? Optional.ofNullable(value) : value;
  }

  /**
   * A {@code CompletableFuture} result: callers that miss while a call for the key is in flight
   * share it; only a successful value is cached.
   */
  private Object future(Operation operation, Operation.CacheSpec spec, Binding binding, Object key,
      @Nullable Object @Nullable [] args, Proceed invocation) throws Throwable {
    try {
      CachedValue<Object> hit = binding.cache.lookup(key);
      if (hit != null && (hit.value() != null || binding.nullValues)) {
        return CompletableFuture.completedFuture(hit.value());
      }
    } catch (CacheException e) {
      return degrade(operation, binding, e, args, invocation);
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
      stamp = loadStamp(binding.cache, stored);
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
        if (error == null && (value != null || binding.nullValues)) {
          storeComputed(binding.cache, stored, value, stamp);
        }
      } catch (RuntimeException e) {
        // An engine failure, or an engine closed meanwhile (the EngineContext the call ran in
        // ended before the future completed): the value is not cached, but the callers that
        // share this future must still get it, and the flight must end.
        logFailure(operation, e);
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

  /**
   * The cache's single-flight load after the miss this call has already counted: one logical
   * miss counts once. A cache not on the engine template gets {@code get(key, loader)}.
   */
  private static @Nullable Object loadAfterMiss(Cache<Object, Object> cache, Object key,
      io.ucache.CacheLoader<Object, Object> loader) {
    return cache instanceof AbstractCache<Object, Object, ?> template
        ? template.loadAfterMiss(key, loader) : cache.get(key, loader);
  }

  /** A stamp to take before a call runs its method itself (no single-flight, a future). */
  private static long loadStamp(Cache<Object, Object> cache, Object key) {
    return cache instanceof AbstractCache<Object, Object, ?> template ? template.loadStamp(key) : 0;
  }

  /**
   * Stores what a call computed since {@code stamp}: an eviction of its key meanwhile wins (the
   * value may predate it), and a value written meanwhile stays. A cache not on the engine
   * template gets a plain put.
   */
  private static void storeComputed(Cache<Object, Object> cache, Object key,
      @Nullable Object value, long stamp) {
    if (cache instanceof AbstractCache<Object, Object, ?> template) {
      template.storeLoaded(key, value, stamp);
    } else {
      cache.put(key, value);
    }
  }

  private @Nullable Object degrade(Operation operation, Binding binding, CacheException failure,
      @Nullable Object @Nullable [] args, Proceed invocation) throws Throwable {
    if (binding.failMode == FailMode.CLOSED) {
      throw failure;
    }
    logFailure(operation, failure);
    return invocation.proceed(args);
  }

  /** Removes what a {@link UCacheEvict} method names, after it returned. */
  private void evict(Operation operation, @Nullable Object @Nullable [] args) throws Throwable {
    Operation.EvictSpec spec = Objects.requireNonNull(operation.evict);
    List<Operation> cached = cachedByName.getOrDefault(spec.name(), List.of());
    Class<?>[] keyTypes = operation.keyTypes();
    @Nullable Object[] keyArguments = operation.selectKeyArguments(args);
    boolean matched = false;
    List<Cache<Object, Object>> cleared = new ArrayList<>();
    for (Operation candidate : cached) {
      if (!spec.allEntries() && !Arrays.equals(candidate.keyTypes(), keyTypes)) {
        continue;
      }
      matched = true;
      Binding binding;
      try {
        binding = binding(candidate, spec.engine().isEmpty()
            ? Objects.requireNonNull(candidate.cached).engine() : spec.engine());
      } catch (BindingFailure failure) {
        if (failure.failMode == FailMode.CLOSED) {
          throw failure.getCause();
        }
        logFailure(operation, failure.getCause());
        continue;
      }
      try {
        if (spec.allEntries()) {
          // Every method of the cache shares it: clear it once.
          if (cleared.stream().noneMatch(c -> c == binding.cache)) {
            cleared.add(binding.cache);
            binding.cache.clear();
          }
        } else {
          // The candidate's entries are keyed as it keys them: through its generator, if any.
          binding.cache.evict(binding.key(candidate,
              candidate.keyArgumentsForEviction(keyArguments)));
        }
      } catch (CacheException e) {
        if (binding.failMode == FailMode.CLOSED) {
          throw e;
        }
        logFailure(operation, e);
      }
    }
    if (!matched) {
      // The method has run: throwing now would report a failure of something that happened.
      // Say it, at most once a minute like every failure here, and let the call return.
      warn("@UCacheEvict on " + operation + " evicted nothing: no @UCache method of cache '"
          + spec.name() + "'" + (spec.allEntries() ? "" : " with key parameters "
          + Arrays.toString(keyTypes)) + " is known to this interceptor yet (make its proxy "
          + "first)");
    }
  }

  /**
   * The engine and cache for a call of {@code operation}, reusing the last one when it fits.
   *
   * @throws BindingFailure carrying the engine's failure and the fail mode that applies to it
   */
  private Binding binding(Operation operation, String engineName) throws BindingFailure {
    CacheEngine engine;
    EngineContext context = EngineContext.current().orElse(null);
    try {
      engine = engine(engineName, context);
    } catch (CacheException e) {
      throw new BindingFailure(e, failMode(defaults));
    }
    // (IllegalStateException from a closed interceptor or context is misuse and propagates.)
    Binding binding = operation.binding;
    if (binding == null || binding.engine != engine) {
      try {
        binding = new Binding(engine, engineName, context != null && engine == context.engine(),
            operation, cachedByName.getOrDefault(Objects.requireNonNull(operation.cached).name(),
                List.of()));
      } catch (CacheException | IllegalArgumentException | UnsupportedOperationException e) {
        // The engine cannot open this cache as the method needs it (types, codec, settings).
        throw new BindingFailure(e, failMode(engine.config()));
      }
      operation.binding = binding;
      if (!binding.fromContext) {
        opened(binding.cache);
      }
    }
    operation.hitPath = binding.servesHitPath(operation) ? binding : null;
    return binding;
  }

  private CacheEngine engine(String name, @Nullable EngineContext context) {
    if (context != null && (name.isEmpty() || name.equals(context.engine().name()))) {
      return context.engine();
    }
    if (givenEngine != null) {
      return givenEngine;
    }
    // An annotation naming the default engine gets the default engine, not a second one.
    String own = name.equals(defaults.engine().orElse("")) ? "" : name;
    // Started outside every lock, one attempt at a time, behind a circuit breaker.
    return Objects.requireNonNull(ownEngines).get(own);
  }

  private static FailMode failMode(CacheConfig config) {
    // Annotated methods fail open unless the configuration says otherwise (DESIGN.md).
    return config.isSet("fail-mode") ? config.failMode() : FailMode.OPEN;
  }

  private void logFailure(Operation operation, Throwable failure) {
    warn("Cache failure in " + operation + "; the method ran uncached (fail-mode=open): "
        + failure);
  }

  /** Logs a WARN line, at most one a minute for this interceptor: never a log storm. */
  private void warn(String message) {
    long now = System.nanoTime();
    long last = lastFailureLog.get();
    if (now - last >= LOG_INTERVAL_NANOS && lastFailureLog.compareAndSet(last, now)) {
      LOG.log(System.Logger.Level.WARNING, message + " (further warnings are not logged for a "
          + "minute)");
    }
  }

  private static @Nullable Object callTarget(Object target, Method method,
      @Nullable Object @Nullable [] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** One operation's cache on one engine, with what a call needs to know about it. */
  static final class Binding {
    /**
     * Which method keys each in-process cache by bare arguments, across every interceptor:
     * weakly, so that a closed engine's caches can go. Guarded by itself.
     */
    private static final Map<Cache<?, ?>, KeyOwner> OWNERS = new WeakHashMap<>();

    final CacheEngine engine;
    /** The engine name it was bound for: an annotation's, "" for the current or default one. */
    final String engineName;
    /** Whether the engine is an {@link EngineContext}'s, which may change from call to call. */
    final boolean fromContext;
    final Cache<Object, Object> cache;
    final boolean inProcess;
    final boolean nullValues;
    final FailMode failMode;
    private final KeyOwner owner;

    @SuppressWarnings("unchecked")
    /**
     * Opens {@code operation}'s cache on {@code engine}. {@code siblings}: the methods this
     * interceptor knows with the same cache name, which rule out bare keys at once.
     */
    Binding(CacheEngine engine, String engineName, boolean fromContext, Operation operation,
        List<Operation> siblings) {
      Operation.CacheSpec spec = Objects.requireNonNull(operation.cached);
      this.engine = engine;
      this.engineName = engineName;
      this.fromContext = fromContext;
      this.inProcess = engine.capabilities().contains(Capability.IN_PROCESS);
      // In-process engines keep the key object; others need a key and a value they can encode.
      Class<?> keyType = inProcess ? Object.class : String.class;
      Class<?> valueType = inProcess ? Object.class : spec.valueType();
      this.cache = (Cache<Object, Object>) engine.cache(spec.name(), keyType, valueType,
          spec.settings());
      CacheConfig effective = engine.config().forCache(spec.name())
          .withCacheSettings(spec.settings());
      this.nullValues = effective.nullValues();
      this.failMode = failMode(engine.config());
      synchronized (OWNERS) {
        KeyOwner known = OWNERS.get(cache);
        if (known == null) {
          known = new KeyOwner(operation.signature);
          OWNERS.put(cache, known);
        }
        known.admit(operation.signature);
        for (Operation sibling : siblings) {
          known.admit(sibling.signature);
        }
        this.owner = known;
      }
    }

    /** Whether bare keys are off for this cache, as another method uses it too. */
    boolean sharedKeys() {
      return owner.shared;
    }

    /**
     * Whether calls of {@code operation} may take the interceptor's hit path through this
     * binding: a plain result, no eviction, no cached nulls, keyed by one bare argument on an
     * in-process engine that is not a context's and was bound for the operation's own engine.
     */
    boolean servesHitPath(Operation operation) {
      Operation.CacheSpec spec = operation.cached;
      return spec != null && inProcess && !nullValues && !fromContext && operation.evict == null
          && operation.singleKey >= 0 && spec.result() == Operation.Result.PLAIN
          && engineName.equals(spec.engine());
    }

    /**
     * The key of a call with these arguments, to look it up: it may share the caller's arrays.
     *
     * @throws IllegalArgumentException if an argument has no canonical form
     */
    Object keyOfCall(Operation operation, @Nullable Object @Nullable [] args) {
      if (operation.singleKey >= 0 && inProcess && !owner.shared) {
        Object argument = Objects.requireNonNull(args)[operation.singleKey];
        if (argument != null) {
          return argument;
        }
      }
      return key(operation, operation.keyArguments(args));
    }

    /**
     * The key for these key arguments ({@link Operation#keyArguments}), as
     * {@link #keyOfCall} makes it.
     *
     * @throws IllegalArgumentException if an argument has no canonical form
     */
    Object key(Operation operation, @Nullable Object[] keyArguments) {
      if (operation.singleKey >= 0 && inProcess && !owner.shared && keyArguments[0] != null) {
        return keyArguments[0];
      }
      return inProcess && operation.valueEqualKeys
          ? new CallKey(operation.signature, keyArguments)
          : KeyEncoder.encode(operation.signature, keyArguments);
    }

    /**
     * {@code key} in the form that may be stored: sharing nothing the caller could change (a bare
     * list argument, say, which the caller may reuse for its next call). Known-immutable keys
     * (strings, boxed primitives, enums, records of such) are returned as they are.
     */
    static Object storable(Object key) {
      return key instanceof String ? key : key instanceof CallKey call ? call.detached()
          : Objects.requireNonNull(KeyCopies.detach(key));
    }
  }

  /**
   * Whether one in-process cache may be keyed by bare arguments: only while every method using
   * it is the one it was opened for. Bare keys carry no method, so two methods sharing a cache
   * would read each other's entries; once a second method binds to it, every method keys it by
   * {@link CallKey}s from then on. Entries stored under bare keys before are never read again
   * and age out. Owners are kept across interceptors, which may share an engine.
   */
  private static final class KeyOwner {
    private final String signature;
    volatile boolean shared;

    KeyOwner(String signature) {
      this.signature = signature;
    }

    void admit(String other) {
      if (!signature.equals(other)) {
        shared = true;
      }
    }
  }

  /** A call whose {@code CompletableFuture} is in flight: its cache and its key. */
  private record InFlight(Cache<Object, Object> cache, Object key) {}

  /** The engine or its cache could not be reached; carries the fail mode that applies. */
  private static final class BindingFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final FailMode failMode;

    BindingFailure(RuntimeException cause, FailMode failMode) {
      super(null, cause, false, false);
      this.failMode = failMode;
    }

    @Override
    public synchronized RuntimeException getCause() {
      return (RuntimeException) Objects.requireNonNull(super.getCause());
    }
  }

  /** The method's run as a loader: its value unwrapped, its failure carried unchanged. */
  private static final class Computed implements io.ucache.CacheLoader<Object, Object> {
    private final Proceed invocation;
    private final @Nullable Object @Nullable [] args;
    private final boolean optional;
    boolean done;
    @Nullable Object value;

    Computed(Proceed invocation, @Nullable Object @Nullable [] args, boolean optional) {
      this.invocation = invocation;
      this.args = args;
      this.optional = optional;
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
      return result;
    }
  }

  /** Carries what the method threw through the cache, to be rethrown as it was. */
  private static final class InvocationFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvocationFailure(Throwable cause) {
      super(null, cause, false, false);
    }

    @Override
    public synchronized Throwable getCause() {
      return Objects.requireNonNull(super.getCause());
    }
  }

  /**
   * The canonical text form of a key made of {@code parts}, as {@code @UCache} keys are encoded
   * for engines that store bytes: identical in every JVM, {@code scope} first (so two scopes never
   * share a key), then each part by content (strings length-prefixed, arrays and collections by
   * content, records by component, enums by name). For integrations whose keys are arbitrary
   * objects, such as the Spring cache bridge, that must hand a disk or remote engine a
   * {@code String} key.
   *
   * @throws IllegalArgumentException if a part has no canonical form (a class of the user's
   *     that is not a record, for example)
   */
  public static String canonicalKey(String scope, @Nullable Object... parts) {
    return KeyEncoder.encode(Objects.requireNonNull(scope, "scope"), parts);
  }
}
