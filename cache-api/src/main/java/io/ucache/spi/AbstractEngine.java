package io.ucache.spi;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.EngineHealth;
import io.ucache.FailMode;
import io.ucache.NearStats.FlushCause;
import io.ucache.ValueCodec;
import io.ucache.ValueType;
import java.lang.ref.Cleaner;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The base every engine extends: it owns the registry of named caches (one per name, created
 * under one lock that close takes too, so a cache is never created half into a closing engine),
 * name validation, the rule that settings asked for again must give the same configuration,
 * idempotent close with the leak guard, {@code cacheNames()} and {@code isClosed()}. An engine
 * creates its caches ({@link #createCache}) and releases its resources ({@link #release}).
 *
 * <p>Thread-safe. Close runs under the lock: a second {@code close()} (a JVM shutdown hook while
 * the owner closes) returns only once the first has ended.
 */
public abstract class AbstractEngine implements CacheEngine {

  private final String engineName;
  private final Set<Capability> capabilities;
  private final CacheConfig config;
  private final String description;
  private final ConcurrentHashMap<String, AbstractCache<?, ?, ?>> caches =
      new ConcurrentHashMap<>();
  /** Held while a cache is created and while the engine closes. */
  private final Object lifecycle = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LeakGuard.Registration leakGuard;
  /** The JMX beans ({@code jmx.enabled}), once a cache exists. */
  private @Nullable JmxBeans jmx;
  /** The periodic statistics lines ({@code stats-log-interval}), once a cache exists. */
  private @Nullable ScheduledFuture<?> statsLog;
  /** The state of this engine's invalidation feed, shared by its near caches. */
  private final NearFeed nearFeed = new NearFeed();
  /** Held while a near cache of this engine reads {@link NearClock}; guarded by lifecycle. */
  private Cleaner.@Nullable Cleanable nearClockLease;

  /**
   * @param description the engine for messages ({@code "ehcache engine of folder /x"})
   * @param releaseIfLeaked what to run if the engine is dropped without being closed: it must
   *     not hold the engine (a static method's lambda over the engine's resources)
   */
  protected AbstractEngine(String engineName, Set<Capability> capabilities, CacheConfig config,
      String description, Runnable releaseIfLeaked) {
    this.engineName = Objects.requireNonNull(engineName, "engineName");
    this.capabilities = Set.copyOf(capabilities);
    this.config = Objects.requireNonNull(config, "config");
    this.description = Objects.requireNonNull(description, "description");
    this.leakGuard = LeakGuard.watch(this, description, releaseIfLeaked);
  }

  /**
   * A new cache of this engine, with its configuration (the engine's, its {@code caches.<name>}
   * overrides and the settings asked for). Called once per name, under the engine's lock.
   */
  protected abstract <K, V> AbstractCache<K, V, ?> createCache(String name,
      CacheConfig cacheConfig, Class<K> keyType, ValueType<V> valueType);

  /**
   * The codec of cache {@code name}'s values: {@code cacheConfig}'s {@code codec} for
   * {@code valueType}, for an engine that stores bytes.
   *
   * @throws CacheConfigException naming the cache if the codec cannot store {@code valueType}
   */
  protected static <V> ValueCodec<V> valueCodec(String name, CacheConfig cacheConfig,
      ValueType<V> valueType) {
    try {
      return ValueCodec.forType(cacheConfig.codec(), valueType);
    } catch (CacheConfigException e) {
      throw new CacheConfigException(e.key(), "Cache '" + name + "': " + e.getMessage(), e);
    }
  }

  /**
   * Releases what the engine holds (connections, files, threads), once, after every cache was
   * marked closed. May throw; the engine is closed all the same.
   */
  protected abstract void release();

  /**
   * Checks a cache name beyond "not blank": the default accepts any; an engine whose storage
   * cannot hold some names refuses them here.
   *
   * @throws IllegalArgumentException naming the problem
   */
  protected void checkName(String name) {}

  /**
   * Whether this engine tells its near caches what changed: it calls {@link #nearChanged},
   * {@link #nearFeedLost} and {@link #nearFeedRestored} once {@link #startInvalidationFeed()}
   * ran. Default false: {@code near.enabled=true} is refused, naming the engine.
   */
  protected boolean offersInvalidationFeed() {
    return false;
  }

  /**
   * Starts the feed of changes, in the background: called when the first cache with a near
   * cache opens, and again for later ones (it must then do nothing). Until the engine calls
   * {@link #nearFeedRestored()}, near caches serve nothing from their copies.
   */
  protected void startInvalidationFeed() {}

  /**
   * The key {@code key} of cache {@code cacheName} changed (in any process): its near copy goes.
   * A key of another type than the cache's (a foreign or undecodable one) drops the cache's
   * whole near cache. Unknown caches are ignored.
   */
  protected final void nearChanged(String cacheName, Object key) {
    AbstractCache<?, ?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.changedByFeed(key);
    }
  }

  /** Some keys of cache {@code cacheName}, or of every cache when null, changed. */
  protected final void nearChangedAll(@Nullable String cacheName) {
    if (cacheName == null) {
      flushNear(FlushCause.ALL_CHANGED);
    } else {
      AbstractCache<?, ?, ?> cache = caches.get(cacheName);
      if (cache != null) {
        cache.flushNear(FlushCause.ALL_CHANGED);
      }
    }
  }

  /**
   * The feed may miss changes from now on (its connection dropped, the server restarted or
   * failed over): near caches drop their copies and read the engine until it is restored.
   */
  protected final void nearFeedLost(String cause) {
    if (nearFeed.lost(cause)) {
      flushNear(FlushCause.FEED_LOST); // else nothing was kept since the feed was last live
    }
  }

  /**
   * The feed delivers every change again: near caches start over (what happened while it was
   * lost is unknown) and serve their copies.
   */
  protected final void nearFeedRestored() {
    // On the first start nothing was kept (copies are kept only while the feed is live).
    if (nearFeed.lostBecause() != null) {
      flushNear(FlushCause.FEED_RESTORED);
    }
    nearFeed.restored();
  }

  private void flushNear(FlushCause cause) {
    caches.values().forEach(cache -> cache.flushNear(cause));
  }

  /** Whether near caches serve their copies now: the feed is live. */
  protected final boolean nearFeedLive() {
    return nearFeed.isLive();
  }

  /**
   * Why near caches serve nothing now (their feed failed and is not back), or {@code null} while
   * they serve or the feed is still starting; for health checks.
   */
  protected final @Nullable String nearFeedDown() {
    return nearFeed.isLive() ? null : nearFeed.lostBecause();
  }

  @Override
  public final String name() {
    return engineName;
  }

  @Override
  public final Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public final CacheConfig config() {
    return config;
  }

  @Override
  public final <K, V> Cache<K, V> cache(String name, Class<K> keyType, ValueType<V> valueType,
      CacheConfig settings) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
    Objects.requireNonNull(settings, "settings");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a cache name cannot be blank");
    }
    checkName(name);
    checkOpen();
    CacheConfig cacheConfig = config.forCache(name).withCacheSettings(settings);
    AbstractCache<?, ?, ?> cache = caches.get(name);
    if (cache == null) {
      synchronized (lifecycle) {
        checkOpen();
        cache = caches.get(name);
        if (cache == null) {
          if (nearClockLease == null && NearCache.usesNearClock(cacheConfig)
              && (cacheConfig.nearEnabled() || Freshness.keepsTimes(cacheConfig))) {
            nearClockLease = NearClock.lease(this); // before the cache reads it
          }
          AbstractCache<K, V, ?> created = createCache(name, cacheConfig, keyType, valueType);
          created.startSingleFlight();
          if (cacheConfig.observationRegistry() != null) {
            created.observeWith(CacheObservations.of(cacheConfig.observationRegistry(), engineName,
                name, capabilities.contains(Capability.IN_PROCESS), cacheConfig.tracingKeys()));
          }
          if (cacheConfig.nearEnabled()) {
            checkNear(name, cacheConfig);
            created.enableNear(new NearCache<>(cacheConfig, nearFeed));
          }
          created.heldBy(this);
          caches.put(name, created);
          if (config.jmxEnabled()) {
            if (jmx == null) {
              jmx = new JmxBeans(this);
            }
            jmx.opened(created);
          }
          if (statsLog == null && config.statsLogInterval().isPresent()) {
            statsLog = StatsLog.start(this, config.statsLogInterval().get());
          }
          cache = created;
          if (cacheConfig.nearEnabled()) {
            startInvalidationFeed();
          }
        }
      }
    }
    if (!settings.describe().isEmpty() && !cache.config().equals(cacheConfig)) {
      throw new IllegalArgumentException("Cache '" + name + "' is open with " + cache.config()
          + "; the settings asked for give " + cacheConfig);
    }
    return cache.as(keyType, valueType);
  }

  /** @throws CacheConfigException if this cache cannot keep a near cache, saying why */
  private void checkNear(String name, CacheConfig cacheConfig) {
    if (!offersInvalidationFeed()) {
      throw new CacheConfigException("near.enabled", "Cache '" + name + "': the " + engineName
          + " engine has no feed of changes, so it cannot keep a near cache (near.enabled=true "
          + "is for shared engines, such as redis)");
    }
    if (cacheConfig.expireAfterAccess().isPresent()) {
      throw new CacheConfigException("near.enabled", "Cache '" + name + "': near.enabled and "
          + "expire-after-access cannot be combined: reads served by the near cache would not "
          + "keep the entry alive in the " + engineName + " engine");
    }
    try {
      Class.forName("com.github.benmanes.caffeine.cache.Caffeine", false,
          AbstractEngine.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new CacheConfigException("near.enabled", "Cache '" + name + "': near.enabled=true "
          + "keeps the near cache in Caffeine, which is not on the class path: add "
          + "com.github.ben-manes.caffeine:caffeine (the cache-engine-caffeine module brings it)");
    }
  }

  /**
   * The cache called {@code name} as it is open in this engine, whatever its key and value types,
   * or null: for operators' tools (statistics, settings, eviction by key text).
   */
  public final @Nullable AbstractCache<?, ?, ?> openCache(String name) {
    return caches.get(Objects.requireNonNull(name, "name"));
  }

  @Override
  public final Set<String> cacheNames() {
    checkOpen();
    return Set.copyOf(caches.keySet());
  }

  /**
   * DOWN once closed; else what {@link #checkHealth()} finds (a check that throws is DOWN with
   * its message, secrets masked), the engine's name and {@code fail-mode} first among the
   * details. With {@code fail-mode=open}, an open engine that finds itself DOWN reports DEGRADED:
   * its failures never reach callers (reads miss, writes are dropped), so a health check must
   * not take the application out of service for it.
   */
  @Override
  public final EngineHealth health() {
    EngineHealth found;
    boolean open = !isClosed();
    if (!open) {
      found = EngineHealth.down("the engine is closed", Map.of());
    } else {
      try {
        found = checkHealth();
      } catch (RuntimeException e) {
        found = EngineHealth.down(CacheConfig.maskSecrets(String.valueOf(e.getMessage())),
            Map.of());
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("engine", engineName);
    details.put("failMode", config.failMode().name().toLowerCase(Locale.ROOT));
    details.putAll(found.details());
    if (open && found.status() == EngineHealth.Status.DOWN
        && config.failMode() == FailMode.OPEN) {
      return EngineHealth.degraded(found.reason() + " (fail-mode=open: calls are served "
          + "without the cache)", details);
    }
    return new EngineHealth(found.status(), found.reason(), details);
  }

  /**
   * The open engine's health, for {@link #health()}: the default, for an in-process engine, is
   * UP. A remote engine makes one round trip within its {@code timeout}; it may throw, which
   * reports DOWN.
   */
  protected EngineHealth checkHealth() {
    return EngineHealth.up(Map.of());
  }

  @Override
  public final boolean isClosed() {
    return closed.get();
  }

  /**
   * Marks every cache closed, then {@link #release}s the engine's resources. Idempotent; a call
   * while another thread closes returns once that close has ended.
   */
  @Override
  public final void close() {
    synchronized (lifecycle) {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      leakGuard.close();
      caches.values().forEach(AbstractCache::markClosed);
      if (nearClockLease != null) {
        nearClockLease.clean();
      }
      if (statsLog != null) {
        statsLog.cancel(false);
      }
      if (jmx != null) {
        jmx.closed();
      }
      release();
    }
  }

  /** @throws IllegalStateException if this engine is closed */
  protected final void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("The " + description + " is closed");
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + description + ", caches=" + caches.keySet()
        + (closed.get() ? ", closed" : "") + "}";
  }
}
