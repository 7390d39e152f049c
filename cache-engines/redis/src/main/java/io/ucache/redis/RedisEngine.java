package io.ucache.redis;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.ValueCodec;
import io.ucache.spi.CircuitBreaker;
import io.ucache.spi.LeakGuard;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running {@code redis} engine: one {@link RedisConnection} (client, one shared connection,
 * a lease on the JVM's shared Lettuce resources) and the named caches on it. Every cache's keys live under
 * {@code <namespace>:<cache>:}, so engines with the same namespace on the same server share
 * entries, and no cache touches another's or a foreign key.
 */
final class RedisEngine implements CacheEngine {

  private final CacheConfig config;
  private final RedisConnection connection;
  private final ConcurrentHashMap<String, RedisCache<?, ?>> caches = new ConcurrentHashMap<>();
  private final Object lifecycle = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LeakGuard.Registration leakGuard;

  private RedisEngine(CacheConfig config, RedisConnection connection) {
    this.config = config;
    this.connection = connection;
    // The connection holds the client, its threads and sockets, and nothing of this engine.
    this.leakGuard = LeakGuard.watch(this, "redis engine", connection::close);
  }

  static RedisEngine open(CacheConfig config) {
    Objects.requireNonNull(config, "config");
    RedisConnection connection = RedisConnection.open(config);
    try {
      return new RedisEngine(config, connection);
    } catch (RuntimeException | Error e) {
      connection.close(); // nothing else will: the engine that would own it does not exist
      throw e;
    }
  }

  @Override
  public String name() {
    return RedisEngineProvider.NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return RedisEngineProvider.CAPABILITIES;
  }

  @Override
  public CacheConfig config() {
    return config;
  }

  /**
   * {@inheritDoc}
   *
   * @throws CacheConfigException also if keys of {@code keyType} cannot be Redis keys (String,
   *     boxed primitives and UUID can), or the codec cannot store {@code valueType}
   * @throws IllegalArgumentException also if {@code name} holds {@code ':'}, which would make
   *     its keys overlap another cache's
   */
  @Override
  public <K, V> Cache<K, V> cache(String name, Class<K> keyType, Class<V> valueType,
      CacheConfig settings) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
    Objects.requireNonNull(settings, "settings");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a cache name cannot be blank");
    }
    if (name.indexOf(':') >= 0) {
      throw new IllegalArgumentException("Cache name '" + name + "' holds ':', which separates "
          + "the parts of a Redis key (<namespace>:<cache>:<key>)");
    }
    checkOpen();
    CacheConfig cacheConfig = config.forCache(name).withCacheSettings(settings);
    RedisCache<?, ?> cache = caches.get(name);
    if (cache == null) {
      synchronized (lifecycle) {
        checkOpen();
        cache = caches.get(name);
        if (cache == null) {
          cache = create(name, cacheConfig, keyType, valueType);
          cache.heldBy(this);
          caches.put(name, cache);
        }
      }
    }
    if (!settings.describe().isEmpty() && !cache.config().equals(cacheConfig)) {
      throw new IllegalArgumentException("Cache '" + name + "' is open with " + cache.config()
          + "; the settings asked for give " + cacheConfig);
    }
    return cache.as(keyType, valueType);
  }

  private <K, V> RedisCache<K, V> create(String name, CacheConfig cacheConfig, Class<K> keyType,
      Class<V> valueType) {
    ValueCodec<V> values;
    try {
      values = ValueCodec.forType(cacheConfig.codec(), valueType);
    } catch (CacheConfigException e) {
      throw new CacheConfigException(e.key(), "Cache '" + name + "': " + e.getMessage(), e);
    }
    RedisKeys<K> keys = RedisKeys.of(keyType, cacheConfig.namespace(), name)
        .limitedTo(cacheConfig.maxKeyBytes());
    return new RedisCache<>(name, cacheConfig, keyType, valueType, keys, values, connection);
  }

  /** The engine's connection (for tests and the caches' package). */
  RedisConnection connection() {
    return connection;
  }

  @Override
  public Set<String> cacheNames() {
    checkOpen();
    return Set.copyOf(caches.keySet());
  }

  /**
   * The Lettuce client ({@code RedisClient} or {@code RedisClusterClient}), its connection
   * ({@code StatefulRedisConnection} or {@code StatefulRedisClusterConnection}; while the first
   * connect is still pending there is none), the engine's {@link CircuitBreaker} (its state and
   * counters, for health checks and metrics), or this engine.
   */
  @Override
  public <T> T unwrap(Class<T> type) {
    checkOpen();
    if (type == CircuitBreaker.class) {
      return type.cast(connection.breaker());
    }
    if (type.isInstance(connection.client())) {
      return type.cast(connection.client());
    }
    Object connected = connection.connection();
    if (connected != null && type.isInstance(connected)) {
      return type.cast(connected);
    }
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("The redis engine has no " + type.getName() + "; it has a "
        + connection.client().getClass().getName() + " and its connection");
  }

  /** A PING through the engine's connection, within {@code timeout}. */
  @Override
  public java.time.Duration ping() {
    checkOpen();
    return RedisPing.ping(connection.connection(), config.timeout());
  }

  @Override
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Closes every cache, the connection and the Lettuce client, and releases the JVM's shared
   * Lettuce resources: the last open engine shuts them down and waits (up to twice the timeout,
   * at least two seconds) for their threads to end. The entries
   * stay in Redis. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    leakGuard.close();
    synchronized (lifecycle) {
      caches.values().forEach(RedisCache::markClosed);
      connection.close();
    }
  }

  @Override
  public String toString() {
    return "RedisEngine{url=" + connection.where() + ", namespace=" + config.namespace()
        + ", caches=" + caches.keySet() + (closed.get() ? ", closed" : "") + "}";
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("The redis engine of " + connection.where() + " is closed");
    }
  }

  /** A driver's message, its innermost cause added, passwords in URLs masked. */
  static String message(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String text = cause == e ? String.valueOf(e.getMessage())
        : e.getMessage() + " (" + cause.getMessage() + ")";
    return CacheConfig.maskSecrets(text);
  }
}
