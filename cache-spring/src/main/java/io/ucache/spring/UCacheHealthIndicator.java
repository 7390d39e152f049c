package io.ucache.spring;

import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.spi.CircuitBreaker;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of the application's engine: DOWN once closed; for a remote (shared or distributed)
 * engine, {@link CacheEngine#ping()} within the engine's {@code timeout} (DOWN when the server
 * does not answer); DOWN while the engine's
 * circuit breaker is open; UP otherwise. Details: the engine's name, its capabilities, its
 * circuit breaker's state and counts and, for a remote engine, the round-trip time.
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
    CircuitBreaker breaker = breaker();
    if (breaker != null) {
      builder.withDetail("circuitBreaker", breaker.state().name())
          .withDetail("failures", breaker.failureCount())
          .withDetail("rejected", breaker.rejectedCount());
      if (breaker.state() == CircuitBreaker.State.OPEN) {
        // Calls skip the engine now; a PING could succeed while the breaker still skips.
        builder.down().withDetail("reason", "the circuit breaker is open");
        return;
      }
    }
    if (engine.capabilities().contains(Capability.SHARED)
        || engine.capabilities().contains(Capability.DISTRIBUTED)) {
      // A remote engine answers one round trip within its timeout, or is DOWN.
      Duration took = engine.ping();
      builder.up().withDetail("ping", took.toMillis() + " ms");
      return;
    }
    builder.up();
  }

  /** The engine's circuit breaker, or null when it has none (in-process and disk engines). */
  private @Nullable CircuitBreaker breaker() {
    try {
      return engine.unwrap(CircuitBreaker.class);
    } catch (IllegalArgumentException noBreaker) {
      return null;
    }
  }
}
