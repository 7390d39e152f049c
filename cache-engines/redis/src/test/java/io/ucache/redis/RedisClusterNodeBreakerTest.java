package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.cluster.SlotHash;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.EngineUnavailableException;
import io.ucache.context.EngineManager;
import io.ucache.spi.CircuitBreaker;
import io.ucache.testkit.RedisClusterExtension;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-master breakers on a real three-master Cluster with one master frozen (SIGSTOP): commands
 * sent the way a cache sends them, asking {@link RedisConnection#breakerFor} first, fail and open
 * only the frozen master's breaker; keys on the other masters keep working.
 */
class RedisClusterNodeBreakerTest {

  /**
   * Without full coverage: by default the two healthy masters too answer {@code CLUSTERDOWN}
   * once the Cluster marks the frozen one failed (after {@code cluster-node-timeout}), which no
   * client can work around; a deployment that wants the healthy slots served sets this.
   */
  @RegisterExtension
  static final RedisClusterExtension cluster =
      RedisClusterExtension.withArgs("--cluster-require-full-coverage", "no");

  @Test
  void breakerFor_oneMasterFrozen_onlyItsKeysFailAndOnlyItsBreakerOpens() {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("redis").set("redis.url", cluster.url()).set("namespace", "nb")
        .set("timeout", "1s").set("fail-mode", "closed").build())) {
      RedisConnection connection = engine.unwrap(RedisEngine.class).connection();
      byte[] healthy = redisKey(keyOn(0, "nb"));
      byte[] alsoHealthy = redisKey(keyOn(1, "nb"));
      byte[] frozen = redisKey(keyOn(2, "nb"));
      assertThat(connection.breakerFor(healthy)).isNotSameAs(connection.breakerFor(frozen))
          .isNotSameAs(connection.breakerFor(alsoHealthy));
      assertThat(connection.breakerFor(frozen)).isSameAs(connection.breakerFor(frozen));
      assertThat(connection.nodeOf(healthy)).isNotEqualTo(connection.nodeOf(frozen)).isNotEmpty();

      cluster.nodes().get(2).pause();
      try {
        CircuitBreaker frozenBreaker = connection.breakerFor(frozen);
        for (int i = 0; i < frozenBreaker.failureThreshold() + 2; i++) {
          assertThatThrownBy(() -> call(connection, frozen,
              () -> connection.commands().set(frozen, bytes("f"))))
              .isInstanceOf(EngineUnavailableException.class);
        }
        assertThat(frozenBreaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

        for (byte[] key : new byte[][] {healthy, alsoHealthy}) {
          call(connection, key, () -> connection.commands().set(key, bytes("h")));
          assertThat(call(connection, key, () -> connection.commands().get(key)))
              .isEqualTo(bytes("h"));
          assertThat(connection.breakerFor(key).state()).isEqualTo(CircuitBreaker.State.CLOSED);
        }
        assertThat(connection.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(connection.nodeBreakers()).containsEntry(connection.nodeOf(frozen),
            frozenBreaker);
      } finally {
        cluster.nodes().get(2).resume();
      }
    }
  }

  /** A key of cache {@code c} in namespace {@code ns} whose slot the {@code node}-th master owns. */
  static String keyOn(int node, String namespace) {
    for (int i = 0; ; i++) {
      String key = "k" + i;
      if (SlotHash.getSlot(bytes(namespace + ":c:" + key)) * 3 / 16_384 == node) {
        return key;
      }
    }
  }

  /** What RedisCache.call does, with the key's breaker instead of the engine's. */
  private static <T> T call(RedisConnection connection, byte[] key,
      Supplier<? extends CompletionStage<T>> command) {
    CircuitBreaker breaker = connection.breakerFor(key);
    if (!breaker.tryAcquire()) {
      throw breaker.rejection();
    }
    try {
      T result = command.get().toCompletableFuture().get(2, TimeUnit.SECONDS);
      breaker.onSuccess();
      return result;
    } catch (Exception e) {
      breaker.onFailure(String.valueOf(e.getMessage()));
      throw new EngineUnavailableException(RedisEngineProvider.NAME, "failed: " + e);
    }
  }

  private static byte[] redisKey(String key) {
    return bytes("nb:c:" + key);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
