package io.ucache;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an engine reports of its own health ({@link CacheEngine#health()}): {@link Status#UP},
 * {@link Status#DEGRADED} (it serves, but not all of it: a Redis Cluster master is down, the
 * disk is full so writes are refused) or {@link Status#DOWN} (it serves nothing: closed, the
 * server does not answer, the circuit breaker is open). Health checks, such as Spring Boot's,
 * map it onto their own states.
 *
 * <p>Immutable and thread-safe. <b>Nulls:</b> {@code reason} is null exactly when the status is
 * UP; {@code details} is never null and holds no null keys or values. Neither holds a secret.
 *
 * @param status the state
 * @param reason why the engine is not UP, for people to read; null when UP
 * @param details facts for operators (round-trip time, breaker state, folder), in order
 */
public record EngineHealth(Status status, @Nullable String reason, Map<String, Object> details) {

  /** How much of the engine serves. */
  public enum Status {
    /** Everything serves. */
    UP,
    /** Some of it serves: reads or writes of some keys fail or skip the engine. */
    DEGRADED,
    /** Nothing serves: every call fails or skips the engine. */
    DOWN
  }

  /**
   * @throws IllegalArgumentException if {@code reason} is missing for DEGRADED or DOWN, or given
   *     for UP
   */
  public EngineHealth {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(details, "details");
    if ((status == Status.UP) != (reason == null)) {
      throw new IllegalArgumentException(status == Status.UP ? "An UP engine has no reason"
          : "A " + status + " engine needs a reason");
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    details.forEach((key, value) -> copy.put(Objects.requireNonNull(key, "detail key"),
        Objects.requireNonNull(value, () -> "detail " + key)));
    details = Collections.unmodifiableMap(copy);
  }

  /** An engine that serves everything. */
  public static EngineHealth up(Map<String, Object> details) {
    return new EngineHealth(Status.UP, null, details);
  }

  /** An engine that serves some keys or some operations only, and why. */
  public static EngineHealth degraded(String reason, Map<String, Object> details) {
    return new EngineHealth(Status.DEGRADED, Objects.requireNonNull(reason, "reason"), details);
  }

  /** An engine that serves nothing, and why. */
  public static EngineHealth down(String reason, Map<String, Object> details) {
    return new EngineHealth(Status.DOWN, Objects.requireNonNull(reason, "reason"), details);
  }
}
