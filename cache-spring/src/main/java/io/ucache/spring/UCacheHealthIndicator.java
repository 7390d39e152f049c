package io.ucache.spring;

import io.ucache.CacheEngine;
import io.ucache.Capability;
import java.time.Duration;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of the application's engine: DOWN once closed; for the Redis engine, a PING within
 * the engine's {@code timeout} (DOWN when the server does not answer); UP otherwise. Details:
 * the engine's name, its capabilities and, for Redis, the round-trip time.
 *
 * <p>Thread-safe. Nulls: none.
 */
final class UCacheHealthIndicator extends AbstractHealthIndicator {

  private final CacheEngine engine;

  UCacheHealthIndicator(CacheEngine engine) {
    super("UCache health check failed");
    this.engine = engine;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) throws Exception {
    builder.withDetail("engine", engine.name())
        .withDetail("capabilities", engine.capabilities().stream()
            .map(Capability::configName).sorted().toList());
    if (engine.isClosed()) {
      builder.down().withDetail("reason", "the engine is closed");
      return;
    }
    if (engine.name().equals("redis") && RedisPing.available()) {
      Duration took = RedisPing.ping(engine, engine.config().timeout());
      builder.up().withDetail("ping", took.toMillis() + " ms");
      return;
    }
    builder.up();
  }
}
