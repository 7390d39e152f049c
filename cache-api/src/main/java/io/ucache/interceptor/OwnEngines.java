package io.ucache.interceptor;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.EngineUnavailableException;
import io.ucache.context.EngineManager;
import io.ucache.spi.CircuitBreaker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The engines a {@link UCacheInterceptor} creates itself and closes, by name ("" for the default
 * engine). An engine is started on first use, outside every map lock, and once at a time: callers
 * that come while a start attempt runs wait for that attempt and share its outcome, engine or
 * failure, instead of each trying in turn. Each engine's starts go through a
 * {@link CircuitBreaker}: while its server is down a failed start would make every call wait for
 * a connect timeout, so after {@code circuit-breaker.failures} failed starts calls are refused
 * (with {@link CircuitBreaker#rejection()}) for {@code circuit-breaker.cool-down}, then one call
 * tries again.
 *
 * <p>Thread-safety: thread-safe. Nulls: none accepted or returned.
 */
final class OwnEngines {

  private final EngineManager manager;
  private final CacheConfig defaults;
  private final ConcurrentHashMap<String, CacheEngine> started = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Starter> starters = new ConcurrentHashMap<>();
  private volatile boolean closed;

  OwnEngines(EngineManager manager, CacheConfig defaults) {
    this.manager = manager;
    this.defaults = defaults;
  }

  /**
   * The engine called {@code name} ("" for the default one), started now if need be.
   *
   * @throws EngineUnavailableException if it cannot start, or its breaker refuses a start now
   * @throws IllegalStateException if these engines were closed
   */
  CacheEngine get(String name) {
    CacheEngine engine = started.get(name);
    if (engine != null) {
      return engine;
    }
    if (closed) {
      throw new IllegalStateException("The UCache interceptor is closed");
    }
    // computeIfAbsent makes only the small Starter (no I/O) under the map's lock.
    return starters.computeIfAbsent(name, this::starter).start();
  }

  /**
   * Closes every engine started; starts afterwards fail, and an engine whose start was running
   * is closed when it ends.
   *
   * @throws RuntimeException the first failure to close, the others suppressed in it
   */
  void close() {
    closed = true;
    RuntimeException failure = null;
    for (CacheEngine engine : started.values()) {
      try {
        engine.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    started.clear();
    if (failure != null) {
      throw failure;
    }
  }

  private Starter starter(String name) {
    String engine = name.isEmpty() ? defaults.engine().orElse("default") : name;
    return new Starter(name, CircuitBreaker.create(engine, "starting the "
        + (name.isEmpty() ? "default" : name) + " engine of the UCache interceptor", defaults));
  }

  /** Starts one engine, one attempt at a time. */
  private final class Starter {
    private final String name;
    private final CircuitBreaker breaker;
    /** The attempt running now, which later callers wait for; guarded by {@code this}. */
    private @Nullable CompletableFuture<CacheEngine> attempt;

    Starter(String name, CircuitBreaker breaker) {
      this.name = name;
      this.breaker = breaker;
    }

    CacheEngine start() {
      CompletableFuture<CacheEngine> running;
      CompletableFuture<CacheEngine> mine = null;
      synchronized (this) {
        CacheEngine engine = started.get(name);
        if (engine != null) {
          return engine; // an attempt that ended just before
        }
        running = attempt;
        if (running == null) {
          if (!breaker.tryAcquire()) {
            throw breaker.rejection();
          }
          mine = new CompletableFuture<>();
          attempt = mine;
        }
      }
      return mine == null ? await(running) : attempt(mine);
    }

    private CacheEngine attempt(CompletableFuture<CacheEngine> mine) {
      try {
        CacheEngine engine;
        try {
          engine = manager.create(name.isEmpty() ? defaults
              : defaults.toBuilder().engine(name).build());
        } catch (EngineUnavailableException e) {
          breaker.onFailure(String.valueOf(e.getMessage()));
          throw e;
        }
        breaker.onSuccess();
        started.put(name, engine);
        if (closed) {
          // close() ran meanwhile and may have missed it.
          started.remove(name, engine);
          engine.close();
          throw new IllegalStateException("The UCache interceptor is closed");
        }
        mine.complete(engine);
        return engine;
      } catch (RuntimeException | Error e) {
        mine.completeExceptionally(e);
        throw e;
      } finally {
        synchronized (this) {
          attempt = null;
        }
      }
    }

    /** Waits for another caller's attempt and shares its outcome. */
    private CacheEngine await(CompletableFuture<CacheEngine> running) {
      try {
        return running.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EngineUnavailableException(name.isEmpty()
            ? defaults.engine().orElse("default") : name, "Interrupted while waiting for "
            + "another caller's start of the engine", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException(cause);
      }
    }
  }
}
