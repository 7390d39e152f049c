package io.ucache.interceptor;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import io.ucache.annotation.UCachePut;
import io.ucache.context.EngineContext;
import io.ucache.context.EngineManager;
import io.ucache.spi.CircuitBreaker;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Applies {@link UCache}, {@link UCachePut} and {@link UCacheEvict}, with their conditions: the
 * Spring-free core behind both plain Java
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
 * string) and reads the cache: no reflection.
 *
 * <p><b>Keys.</b> An entry's key is its cache's name and the call's key arguments: the method
 * takes part only through a cache name derived from it (when {@code name} is not set). Methods
 * sharing a named cache share its entries, a renamed class keeps them, and any process evicts
 * them with the same arguments. Disk and remote engines get the arguments'
 * {@linkplain io.ucache.CacheKeys canonical text}, the same in every JVM and computable outside
 * Java ({@code docs/keys.md}).
 *
 * <p>Thread-safe. Nulls: {@code args} may be null for a method without parameters; nothing else.
 */
public final class UCacheInterceptor implements AutoCloseable {

  private final @Nullable CacheEngine givenEngine;
  private final CacheConfig defaults;
  /** The engines this interceptor creates (none when given one), started on first use. */
  private final @Nullable OwnEngines ownEngines;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final OperationRegistry registry;
  private final Bindings bindings;
  private final CachedCalls calls;

  private UCacheInterceptor(@Nullable CacheEngine givenEngine, @Nullable EngineManager manager,
      CacheConfig defaults) {
    this.givenEngine = givenEngine;
    this.defaults = defaults;
    this.ownEngines = manager == null ? null : new OwnEngines(manager, defaults);
    this.registry = new OperationRegistry(givenEngine);
    this.bindings = new Bindings(givenEngine, ownEngines, defaults);
    FailureLog log = new FailureLog();
    this.calls = new CachedCalls(closed, bindings, new Evictions(registry, bindings, log),
        new Puts(registry, bindings, log), log);
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
   * Has the expression attributes of the annotations ({@code condition = "#id > 0"},
   * {@code unless = "#result == null"}) compiled by {@code expressions}: what the Spring advisor
   * does with Spring Expression Language. Without it, a method with such an attribute is refused
   * when parsed, naming it; the class attributes ({@code conditionClass}, {@code unlessClass})
   * need nothing.
   *
   * @return this interceptor
   * @throws IllegalStateException if a method was parsed already (a proxy made or a call run)
   */
  public UCacheInterceptor withExpressions(ConditionExpressions expressions) {
    registry.useExpressions(Objects.requireNonNull(expressions, "expressions"));
    return this;
  }

  /**
   * A proxy of the interface {@code type} whose annotated methods are cached, delegating to
   * {@code target}: an instance of a class generated once per interface when Byte Buddy
   * ({@code net.bytebuddy:byte-buddy}, an optional dependency) is on the class path, a JDK proxy
   * otherwise or where no class can be generated (two methods of the same name and parameters;
   * a package that is not open to this library). Both behave the same; the generated class
   * takes a few nanoseconds less per call (no method lookup, no reflective dispatch). Annotations may sit on the interface's methods or on the target's; those on
   * the target's make its method the one whose signature names a cache left unnamed, so two
   * implementations of one interface never share entries through their own annotations
   * (annotations on the interface are shared by every implementation proxied by this
   * interceptor). Every method's annotations are parsed now, so a contradiction fails here,
   * naming the method. The interface need not be public, as long as its package is open to this
   * library (any package on the class path is).
   *
   * @throws IllegalArgumentException if {@code type} is not an interface, or cannot be called
   * @throws CacheConfigException if a method's annotations contradict each other, or those of
   *     another method of the same cache
   */
  public <T> T proxy(Class<T> type, T target) {
    Objects.requireNonNull(target, "target");
    return ProxyDispatch.proxy(type, target, registry, calls);
  }

  /**
   * Runs one call of {@code method} on {@code target}: from the cache, or through
   * {@code invocation}, applying the method's annotations. Methods without them just proceed.
   * This is what an AOP advisor calls; one that keeps {@link #advised} per method looks nothing
   * up per call.
   */
  public @Nullable Object invoke(Object target, Method method, @Nullable Object @Nullable [] args,
      Invocation invocation) throws Throwable {
    AdvisedMethod<Invocation> advised = advised(method, target.getClass(), call -> call);
    return advised == null ? invocation.proceed() : advised.invoke(args, invocation);
  }

  /**
   * {@code method} as calls on instances of {@code targetClass} run it, for an AOP integration to
   * keep (calls of one method on several target classes need one each): null if it has no
   * annotation of UCache's.
   *
   * @param invocationOf makes the way on to the method of the integration's call object, when a
   *     call needs it (never for a hit)
   * @throws CacheConfigException if its annotations contradict each other, or those of another
   *     method of the same cache
   */
  public <C> @Nullable AdvisedMethod<C> advised(Method method, Class<?> targetClass,
      Function<? super C, ? extends Invocation> invocationOf) {
    Objects.requireNonNull(invocationOf, "invocationOf");
    Operation operation = registry.operation(Objects.requireNonNull(method, "method"),
        Objects.requireNonNull(targetClass, "targetClass"));
    return operation == null ? null : new AdvisedMethod<>(calls, operation, invocationOf);
  }

  /**
   * Calls {@code listener} with each cache this interceptor has opened for an annotated method,
   * now for those opened so far and later for each new one, so metrics can follow caches that
   * exist only behind annotations. Caches of an {@link EngineContext}'s engine are left out:
   * they close with their block. The listener runs on the thread that opened the cache, once per
   * cache; it must not call this interceptor.
   */
  public void onCacheOpened(Consumer<? super Cache<?, ?>> listener) {
    bindings.opened().listen(Objects.requireNonNull(listener, "listener"));
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
        : defaults.engine().orElse("default")) + ", methods=" + registry.size() + "}";
  }
}
