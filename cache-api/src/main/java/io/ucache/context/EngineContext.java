package io.ucache.context;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.spi.LeakGuard;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A scoped engine: built when opened, closed when the try-with-resources block ends, however it
 * ends (normally, by an exception, by an early {@code return} or {@code break}).
 *
 * <pre>{@code
 * try (EngineContext ctx = EngineContext.open(CacheConfig.builder().maxSize(1_000).build())) {
 *   Cache<String, Report> reports = ctx.cache("reports", String.class, Report.class);
 *   ...
 * } // the engine is closed here
 * }</pre>
 *
 * <p>While open, the context is the <em>current</em> one of the thread that opened it
 * ({@link #current()}): {@code @UCache} methods called inside the block use its engine. Contexts
 * nest: closing the inner one makes the outer one current again. The binding is per thread and
 * is not inherited by threads or tasks the block starts.
 *
 * <p>A context that becomes unreachable without being closed (its thread ended inside the
 * block, say) is noticed by {@link LeakGuard}: one WARN names where it was opened, and its
 * engine is closed. A context left open on a thread that lives on stays reachable, as the
 * thread's current context.
 *
 * <p>If the body throws and closing the engine throws too, the close failure is added to the
 * body's exception as suppressed (Java's try-with-resources rule), never replacing it.
 *
 * <p><b>Thread-safety:</b> the engine and its caches may be used from any thread; {@link #close()}
 * is idempotent and safe from any thread, but only the opening thread's binding is restored.
 * <b>Nulls:</b> no method accepts or returns {@code null}.
 */
public final class EngineContext implements AutoCloseable {

  private static final ThreadLocal<@Nullable EngineContext> CURRENT = new ThreadLocal<>();
  /**
   * Contexts open now, in every thread. While none is, {@link #current()} is empty without
   * reading the thread-local: every {@code @UCache} call asks for the current context, and most
   * applications never open one.
   */
  private static final AtomicInteger OPEN = new AtomicInteger();

  private final CacheEngine engine;
  private final @Nullable EngineContext parent;
  private final Thread owner;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LeakGuard.Registration leakGuard;

  private EngineContext(CacheEngine engine, @Nullable EngineContext parent) {
    this.engine = engine;
    this.parent = parent;
    this.owner = Thread.currentThread();
    // The engine's own guard stays quiet: this action holds the engine, and closes it. It also
    // takes the context off the open count, so current() goes back to its fast path.
    this.leakGuard = LeakGuard.watch(this, "context on the " + engine.name() + " engine", () -> {
      OPEN.decrementAndGet();
      engine.close();
    });
  }

  /** Opens a context on the engine configured by {@link CacheConfig#fromEnvironment()}. */
  public static EngineContext open() {
    return open(CacheConfig.fromEnvironment());
  }

  /** Opens a context on a new engine for {@code config}, found by the default manager. */
  public static EngineContext open(CacheConfig config) {
    return open(config, EngineManager.getDefault());
  }

  /**
   * Opens a context on a new engine that {@code manager} creates for {@code config}, and makes it
   * the current context of this thread.
   *
   * @throws io.ucache.EngineUnavailableException if the engine cannot start
   * @throws io.ucache.CacheConfigException if the configuration is invalid for it
   */
  public static EngineContext open(CacheConfig config, EngineManager manager) {
    Objects.requireNonNull(config, "config");
    CacheEngine engine = manager.create(config);
    EngineContext context;
    try {
      context = new EngineContext(engine, current().orElse(null));
    } catch (RuntimeException | Error e) {
      // Nobody else holds the engine: without this close it would hold its files and threads.
      EngineManager.closeAfterFailure(engine, e);
      throw e;
    }
    OPEN.incrementAndGet();
    CURRENT.set(context);
    return context;
  }

  /** The innermost open context of this thread, if any. */
  public static Optional<EngineContext> current() {
    if (OPEN.get() == 0) {
      // No context is open anywhere; a closed one the thread-local may still hold is dropped
      // the next time this runs while one is.
      return Optional.empty();
    }
    EngineContext head = CURRENT.get();
    EngineContext open = firstOpen(head);
    if (open != head) {
      // Contexts closed out of order, or from another thread, are dropped here.
      setCurrent(open);
    }
    return Optional.ofNullable(open);
  }

  /** This context's engine; closed with the context. */
  public CacheEngine engine() {
    return engine;
  }

  /** The configuration the engine was built with. */
  public CacheConfig config() {
    return engine.config();
  }

  /** Shorthand for {@code engine().cache(name, keyType, valueType)}. */
  public <K, V> Cache<K, V> cache(String name, Class<K> keyType, Class<V> valueType) {
    return engine.cache(name, keyType, valueType);
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Restores the enclosing context as current (when called on the opening thread) and closes the
   * engine. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    leakGuard.close();
    OPEN.decrementAndGet();
    if (Thread.currentThread() == owner && CURRENT.get() == this) {
      setCurrent(firstOpen(parent));
    }
    engine.close();
  }

  @Override
  public String toString() {
    return "EngineContext{engine=" + engine.name() + (isClosed() ? ", closed" : "") + "}";
  }

  private static @Nullable EngineContext firstOpen(@Nullable EngineContext context) {
    EngineContext c = context;
    while (c != null && c.isClosed()) {
      c = c.parent;
    }
    return c;
  }

  private static void setCurrent(@Nullable EngineContext context) {
    if (context == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(context);
    }
  }
}
