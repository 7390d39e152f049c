package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.ValueCodec;
import io.ucache.ValueType;
import io.ucache.spi.AbstractCache;
import io.ucache.spi.AbstractEngine;
import io.ucache.spi.NearFeedRelay;
import io.ucache.spi.CircuitBreaker;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The running {@code redis} engine: one {@link RedisConnection} (client, one shared connection,
 * a lease on the JVM's shared Lettuce resources) and the named caches on it. Every cache's keys live under
 * {@code <namespace>:<cache>:}, so engines with the same namespace on the same server share
 * entries, and no cache touches another's or a foreign key.
 */
final class RedisEngine extends AbstractEngine {

  private final RedisConnection connection;
  /** The caches that keep a near cache, by their key prefix ({@code <namespace>:<cache>:}). */
  private final Map<String, NearKeys> nearKeys = new ConcurrentHashMap<>();
  private @Nullable RedisTracking tracking;

  /** A near cache's name and the keys that decode its Redis keys. */
  private record NearKeys(String cache, byte[] prefix, RedisKeys<?> keys) {}

  private RedisEngine(CacheConfig config, RedisConnection connection) {
    // The connection holds the client, its threads and sockets, and nothing of this engine.
    super(RedisEngineProvider.NAME, RedisEngineProvider.CAPABILITIES, config,
        "redis engine of " + connection.where() + ", namespace " + config.namespace(),
        connection::close);
    this.connection = connection;
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

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException also if {@code name} holds {@code ':'}, which would make
   *     its keys overlap another cache's
   */
  @Override
  protected void checkName(String name) {
    if (name.indexOf(':') >= 0) {
      throw new IllegalArgumentException("Cache name '" + name + "' holds ':', which separates "
          + "the parts of a Redis key (<namespace>:<cache>:<key>)");
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws CacheConfigException if keys of {@code keyType} cannot be Redis keys (String, boxed
   *     primitives and UUID can), or the codec cannot store {@code valueType}
   */
  @Override
  protected <K, V> AbstractCache<K, V, ?> createCache(String name, CacheConfig cacheConfig,
      Class<K> keyType, ValueType<V> valueType) {
    ValueCodec<V> values = valueCodec(name, cacheConfig, valueType);
    RedisKeys<K> keys = RedisKeys.of(keyType, cacheConfig.namespace(), name)
        .limitedTo(cacheConfig.maxKeyBytes());
    if (cacheConfig.nearEnabled()) {
      String prefix = cacheConfig.namespace() + ":" + RedisKeys.segment(name) + ":";
      nearKeys.put(prefix, new NearKeys(name, prefix.getBytes(StandardCharsets.UTF_8), keys));
    }
    return new RedisCache<>(name, cacheConfig, keyType, valueType, keys, values, connection);
  }

  @Override
  protected boolean offersInvalidationFeed() {
    return true;
  }

  @Override
  protected synchronized void startInvalidationFeed() {
    if (tracking == null && !isClosed()) {
      tracking = new RedisTracking(connection.resources(), connection::trackedServers,
          config().namespace(), config().timeout(),
          new NearFeedRelay<>(this, RedisEngine::nearKeyChanged));
      connection.closeWith(tracking);
      RedisTracking feed = tracking;
      // The feed must watch the master the engine writes to: a Sentinel's switch moves it too.
      connection.onMasterSwitch(address -> feed.reconnect("the Sentinel switched the master to "
          + address));
      tracking.start();
    }
  }

  /** A key the server says changed: the near cache it belongs to, if any, drops it. */
  private void nearKeyChanged(byte[] redisKey) {
    for (NearKeys near : nearKeys.values()) {
      if (startsWith(redisKey, near.prefix())) {
        Object key = near.keys().decode(redisKey);
        if (key != null) {
          nearChanged(near.cache(), key);
        } else {
          nearChangedAll(near.cache()); // a hashed or foreign key: which one is unknown
        }
        return;
      }
    }
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** Whether near caches serve their copies now (for tests). */
  boolean nearLive() {
    return nearFeedLive();
  }

  /** The engine's connection (for tests and the caches' package). */
  RedisConnection connection() {
    return connection;
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
    return RedisPing.ping(connection.connection(), config().timeout());
  }

  /** See {@link RedisHealth}: DOWN, DEGRADED (a Cluster master down) or UP, with details. */
  @Override
  protected io.ucache.EngineHealth checkHealth() {
    io.ucache.EngineHealth health = RedisHealth.of(connection, config().timeout());
    String nearDown = nearKeys.isEmpty() ? null : nearFeedDown();
    if (nearDown == null || health.status() != io.ucache.EngineHealth.Status.UP) {
      return health;
    }
    Map<String, Object> details = new java.util.LinkedHashMap<>(health.details());
    details.put("near", "bypassed: " + nearDown);
    return io.ucache.EngineHealth.degraded("near caches read Redis: their feed of changes is "
        + "down (" + nearDown + ")", details);
  }

  /**
   * Closes the connection and the Lettuce client, and releases the JVM's shared Lettuce
   * resources: the last open engine shuts them down and waits (up to twice the timeout, at least
   * two seconds) for their threads to end. The entries stay in Redis.
   */
  @Override
  protected void release() {
    connection.close(); // the near-cache feed, if any, first
  }

  /** A driver's message, its innermost cause added, passwords in URLs masked. */
  static String message(Throwable e) {
    String refusal = RedisClients.refusal(e);
    if (refusal != null && !refusal.equals(e.getMessage())) {
      // The server's refusal says what to fix; a closed channel reported first does not.
      return CacheConfig.maskSecrets(e.getMessage() + " (" + refusal + ")");
    }
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String text = cause == e ? String.valueOf(e.getMessage())
        : e.getMessage() + " (" + cause.getMessage() + ")";
    return CacheConfig.maskSecrets(text);
  }
}
