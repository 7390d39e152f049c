package io.ucache.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.ucache.EngineUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A PING through the engine's own connection, bounded by the engine's {@code timeout}: what
 * {@link RedisEngine#ping()} does for health checks. Stateless; thread-safe.
 */
final class RedisPing {
  private RedisPing() {}

  /**
   * How long a PING took.
   *
   * @throws EngineUnavailableException if there is no connection, or no PONG in time
   */
  static Duration ping(@Nullable StatefulConnection<byte[], byte[]> connection, Duration timeout) {
    long start = System.nanoTime();
    CompletionStage<String> answer;
    if (connection instanceof StatefulRedisConnection<byte[], byte[]> standalone) {
      answer = standalone.async().ping();
    } else if (connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
      answer = cluster.async().ping();
    } else {
      throw new EngineUnavailableException(RedisEngineProvider.NAME,
          "The redis engine has no connection to the server");
    }
    String pong;
    try {
      pong = answer.toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineUnavailableException(RedisEngineProvider.NAME, "PING interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new EngineUnavailableException(RedisEngineProvider.NAME, "Redis did not answer PING "
          + "within " + timeout.toMillis() + " ms: " + RedisEngine.message(e));
    }
    if (!"PONG".equals(pong)) {
      throw new EngineUnavailableException(RedisEngineProvider.NAME,
          "Redis answered PING with " + pong);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
