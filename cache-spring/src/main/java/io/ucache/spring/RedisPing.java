package io.ucache.spring;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.ucache.CacheEngine;
import io.ucache.EngineUnavailableException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.util.ClassUtils;

/**
 * A PING through the Redis engine's own Lettuce connection, bounded by a timeout. Loaded only
 * when Lettuce is on the class path ({@link #available()}).
 */
final class RedisPing {
  private RedisPing() {}

  static boolean available() {
    return ClassUtils.isPresent("io.lettuce.core.api.StatefulRedisConnection",
        RedisPing.class.getClassLoader());
  }

  /**
   * How long a PING took.
   *
   * @throws EngineUnavailableException if there is no connection or no answer in time
   */
  @SuppressWarnings("unchecked")
  static Duration ping(CacheEngine engine, Duration timeout) throws Exception {
    long start = System.nanoTime();
    String answer;
    try {
      StatefulRedisConnection<byte[], byte[]> connection =
          engine.unwrap(StatefulRedisConnection.class);
      answer = connection.async().ping().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (IllegalArgumentException notStandalone) {
      try {
        StatefulRedisClusterConnection<byte[], byte[]> cluster =
            engine.unwrap(StatefulRedisClusterConnection.class);
        answer = cluster.async().ping().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (IllegalArgumentException none) {
        throw new EngineUnavailableException("redis", "The redis engine has no connection to the server");
      }
    }
    if (!"PONG".equals(answer)) {
      throw new EngineUnavailableException("redis", "Redis answered PING with " + answer);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
