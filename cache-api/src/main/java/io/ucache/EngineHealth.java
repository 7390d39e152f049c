package io.ucache;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an engine reports of its own health ({@link CacheEngine#health()}): {@link Status#UP},
 * {@link Status#DEGRADED} (part of it fails: a Redis Cluster master is down, the disk is full so
 * writes are refused; or all of it with {@code fail-mode=open}, whose failures never reach
 * callers) or {@link Status#DOWN} (failures reach callers: the engine is closed, or with
 * {@code fail-mode=closed} its server does not answer or its circuit breaker is open). Health
 * checks, such as Spring Boot's, map it onto their own states.
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
    /**
     * Part of it fails (reads or writes of some keys fail or skip the engine), or all of it
     * where failures never reach callers ({@code fail-mode=open}).
     */
    DEGRADED,
    /** Failures reach callers: every call fails. */
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
