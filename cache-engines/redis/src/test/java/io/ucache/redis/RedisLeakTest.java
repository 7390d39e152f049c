package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.testkit.EngineLeakContract;
import io.ucache.testkit.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The leak contract on the redis engine: the Lettuce client's event-loop threads, its sockets,
 * and the server's client connections ({@code CLIENT LIST}) go back to where they were.
 */
class RedisLeakTest extends EngineLeakContract {

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redis.url())
        .set("namespace", "leak");
  }

  @Override
  protected long serverConnections() {
    // The connection that sends CLIENT LIST is one of them, at every count alike.
    return redis.cli("CLIENT", "LIST").lines().filter(line -> !line.isBlank()).count();
  }
}
