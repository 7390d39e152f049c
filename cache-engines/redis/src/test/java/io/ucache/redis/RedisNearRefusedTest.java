package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.EngineHealth;
import io.ucache.context.EngineManager;
import io.ucache.testkit.LogCapture;
import io.ucache.testkit.RedisServerExtension;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server that refuses {@code CLIENT TRACKING}, as Redis before 6 does (there it is an unknown
 * subcommand; here an ACL forbids it, as managed services may): near caches read Redis on every
 * call, correctly, one WARNING says why, and the health says so.
 */
class RedisNearRefusedTest {

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @RegisterExtension
  final LogCapture logs = LogCapture.of("io.ucache");

  @BeforeEach
  void refuseTracking() {
    assertThat(redis.cli("ACL", "SETUSER", "default", "-client|tracking")).isEqualTo("OK");
  }

  @AfterEach
  void allowTrackingAgain() {
    redis.cli("ACL", "SETUSER", "default", "+@all");
  }

  @Test
  void trackingRefused_nearReadsRedisEveryTime_oneWarningAndHealthSaysWhy() {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("redis").set("redis.url", redis.url()).namespace("near-refused")
        .nearEnabled(true).build());
        CacheEngine other = EngineManager.getDefault().create(CacheConfig.builder()
            .engine("redis").set("redis.url", redis.url()).namespace("near-refused").build())) {
      Cache<String, String> near = engine.cache("prices", String.class, String.class);
      Cache<String, String> otherProcess = other.cache("prices", String.class, String.class);
      RedisOutageTest.await("the refusal to show in the health", () ->
          engine.health().status() == EngineHealth.Status.DEGRADED);
      assertThat(engine.health().reason()).contains("CLIENT TRACKING");

      otherProcess.put("ACME", "12");
      assertThat(near.get("ACME")).isEqualTo("12");
      otherProcess.put("ACME", "13");
      assertThat(near.get("ACME")).as("no copy kept: every read goes to Redis").isEqualTo("13");
      assertThat(near.stats().near().hitCount()).isZero();
      assertThat(near.stats().near().missCount()).isEqualTo(2);

      List<LogRecord> warnings = logs.records().stream()
          .filter(r -> r.getLevel() == Level.WARNING && r.getMessage().contains("TRACKING"))
          .toList();
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0).getMessage()).contains("Redis 6 or later", "NOPERM");
    }
  }
}
