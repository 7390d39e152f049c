package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.spi.AbstractEngineProvider;
import java.util.Set;

/**
 * Provides the {@code redis} engine: caches kept in Redis through Lettuce, shared by every
 * process that uses the same server and {@code namespace}. Priority 10, below the in-memory
 * default and the disk engine, so it is chosen by name or by {@code require=distributed}
 * (or {@code shared} when no other shared engine is installed). Stateless and thread-safe; found
 * through {@link java.util.ServiceLoader}. It loads no Lettuce class until
 * {@link #create(CacheConfig)}, so {@link #availability()} can report a missing driver.
 *
 * <p>Configuration: {@code redis.url} (required), {@code redis.username},
 * {@code redis.password}, {@code redis.cluster}, {@code namespace}, {@code timeout},
 * {@code fail-mode}, {@code ttl}, {@code expire-after-access}, {@code max-size},
 * {@code null-values}, {@code codec} and {@code stats}.
 */
public final class RedisEngineProvider extends AbstractEngineProvider {

  static final String NAME = "redis";
  static final Set<Capability> CAPABILITIES = Set.of(Capability.SHARED, Capability.DISTRIBUTED,
      Capability.PER_ENTRY_TTL, Capability.NATIVE_ASYNC, Capability.BULK);

  /** For {@link java.util.ServiceLoader}; does nothing else. */
  public RedisEngineProvider() {
    super(NAME, CAPABILITIES, 10, RedisSettings.ALL, "io.lettuce:lettuce-core",
        "io.lettuce.core.RedisClient");
  }

  /**
   * Connects to the configured server. With {@code fail-mode=closed} a server that does not
   * answer within {@code timeout} fails the call; with {@code fail-mode=open} the engine starts
   * degraded (reads miss, writes are dropped) and connects in the background.
   *
   * @throws io.ucache.CacheConfigException if {@code redis.url} is missing or invalid
   * @throws io.ucache.EngineUnavailableException if the server cannot be reached or refuses the
   *     credentials, with {@code fail-mode=closed}
   */
  @Override
  public CacheEngine create(CacheConfig config) {
    return RedisEngine.open(config);
  }
}
