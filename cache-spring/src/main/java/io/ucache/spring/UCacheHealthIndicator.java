package io.ucache.spring;

import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.EngineHealth;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of the application's engine, as the engine reports it ({@link CacheEngine#health()}):
 * DOWN when the engine is down (closed, its server not answering within {@code timeout}, its
 * circuit breaker open); UP otherwise, DEGRADED engines included (they still serve), with
 * {@code degraded} set to the reason. Details: the engine's own (round-trip time, breaker state,
 * Cluster masters, folder and free bytes), its capabilities, and {@code reason} when DOWN.
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
  protected void doHealthCheck(Health.Builder builder) {
    EngineHealth health = engine.health();
    builder.withDetails(health.details())
        .withDetail("capabilities", engine.capabilities().stream()
            .map(Capability::configName).sorted().toList());
    switch (health.status()) {
      case UP -> builder.up();
      case DEGRADED -> builder.up().withDetail("degraded", health.reason());
      case DOWN -> builder.down().withDetail("reason", health.reason());
    }
  }
}
