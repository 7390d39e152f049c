package io.ucache.context;

import io.ucache.CacheConfig;
import java.util.Objects;

/**
 * A reusable scoped configuration: hold one, and {@link #open()} a fresh {@link EngineContext}
 * from it each time a block needs an engine.
 *
 * <pre>{@code
 * CacheContext reports = CacheContext.of(CacheConfig.builder().ttl(Duration.ofMinutes(5)).build());
 * try (EngineContext ctx = reports.open()) { ... }
 * try (EngineContext ctx = reports.open()) { ... } // a new engine each time
 * }</pre>
 *
 * <p>Immutable and thread-safe: several threads may open contexts from it at once, each getting
 * its own engine. Nulls are never accepted or returned.
 */
public final class CacheContext {

  private final CacheConfig config;
  private final EngineManager manager;

  private CacheContext(CacheConfig config, EngineManager manager) {
    this.config = Objects.requireNonNull(config, "config");
    this.manager = Objects.requireNonNull(manager, "manager");
  }

  /** A context for {@code config}, whose engines the default manager creates. */
  public static CacheContext of(CacheConfig config) {
    return new CacheContext(config, EngineManager.getDefault());
  }

  /** A context for {@code config}, whose engines {@code manager} creates. */
  public static CacheContext of(CacheConfig config, EngineManager manager) {
    return new CacheContext(config, manager);
  }

  /** The configuration every {@link #open()} uses. */
  public CacheConfig config() {
    return config;
  }

  /**
   * Starts a new engine for this configuration and makes it the current context of this thread
   * until the returned context is closed.
   */
  public EngineContext open() {
    return EngineContext.open(config, manager);
  }

  @Override
  public String toString() {
    return "CacheContext{" + config + "}";
  }
}
