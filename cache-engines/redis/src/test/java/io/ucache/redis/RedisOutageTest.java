package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.AsyncCache;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.EngineHealth;
import io.ucache.EngineUnavailableException;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server down at open, killed mid-run and restarted on the same port, and frozen with
 * SIGSTOP: no call outlives the timeout, fail-mode decides between errors and misses, nothing
 * written during an outage is replayed, and the engine recovers by itself.
 */
class RedisOutageTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);
  /** What a call may take beyond the timeout: scheduling, a loaded CI machine. */
  private static final Duration SLACK = Duration.ofMillis(750);
  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  private final List<CacheEngine> engines = new ArrayList<>();
  private final String namespace = "outage-" + NAMESPACES.incrementAndGet();

  private CacheEngine engine(String failMode) {
    CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder().engine("redis")
        .set("redis.url", redis.url()).set("namespace", namespace)
        .set("redis.value-format", "plain")
        .set("timeout", TIMEOUT.toMillis() + "ms").set("fail-mode", failMode).build());
    engines.add(engine);
    return engine;
  }

  @AfterEach
  void restoreServer() {
    engines.forEach(CacheEngine::close);
    redis.resume();
    redis.start();
  }

  @Test
  void open_serverDownFailClosed_throwsWithinTheTimeout() {
    redis.stop();

    long start = System.nanoTime();
    assertThatThrownBy(() -> engine("closed"))
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("127.0.0.1:" + redis.port());
    assertWithinTimeout(start);
  }

  @Test
  void open_serverDownFailOpen_startsDegradedThenConnectsWhenServerComes() {
    redis.stop();

    Cache<String, String> cache = engine("open").cache("c", String.class, String.class);
    assertThat(cache.get("k")).isNull();
    cache.put("k", "dropped");
    assertThat(cache.stats().errorCount()).isEqualTo(2);

    redis.start();
    await("the engine connects", () -> {
      cache.put("k", "v");
      return "v".equals(cache.get("k"));
    });
    assertThat(redis.cli("GET", namespace + ":c:k")).isEqualTo("v");
  }

  @Test
  void serverKilledFailClosed_everyCallThrowsWithinTimeoutThenRecovers() {
    Cache<String, String> cache = engine("closed").cache("c", String.class, String.class);
    cache.put("k", "v");

    redis.stop();

    for (ThrowingCallable call : List.<ThrowingCallable>of(() -> cache.get("k"),
        () -> cache.put("k", "v2"), () -> cache.evict("k"), () -> cache.getAll(List.of("k")),
        () -> cache.putAll(Map.of("a", "1")), cache::clear, () -> cache.keys().count())) {
      long start = System.nanoTime();
      assertThatThrownBy(call).isInstanceOf(EngineUnavailableException.class);
      assertWithinTimeout(start);
    }

    redis.start();
    await("the engine reconnects", () -> {
      try {
        return cache.get("k") == null; // the restarted server has no data
      } catch (EngineUnavailableException e) {
        return false;
      }
    });
  }

  @Test
  void serverKilledFailOpen_readsMissWritesDroppedAndCounted() throws Exception {
    Cache<String, String> cache = engine("open").cache("c", String.class, String.class);
    cache.put("k", "v");

    redis.stop();

    long start = System.nanoTime();
    assertThat(cache.get("k")).isNull();
    cache.put("k", "v2");
    assertThat(cache.getAll(List.of("k"))).isEmpty();
    assertThat(cache.get("loaded", key -> "computed")).isEqualTo("computed");
    AsyncCache<String, String> async = cache.async();
    assertThat(async.get("k").get(5, TimeUnit.SECONDS)).isNull();
    assertWithinTimeout(start);
    assertThat(cache.stats().errorCount()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void serverKilledUnderLoadAndRestarted_noCallOutlivesTheTimeoutAndLoadRecovers()
      throws Exception {
    Cache<String, String> cache = engine("closed").cache("c", String.class, String.class);
    AtomicLong slowestNanos = new AtomicLong();
    AtomicLong successes = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        workers.add(pool.submit(() -> {
          for (int i = 0; running.get(); i++) {
            long start = System.nanoTime();
            try {
              cache.put("k" + thread, "v" + i);
              cache.get("k" + thread);
              successes.incrementAndGet();
            } catch (EngineUnavailableException e) {
              failures.incrementAndGet();
            }
            slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
          }
        }));
      }
      await("load runs", () -> successes.get() > 1_000);
      redis.stop();
      long failedBefore = failures.get();
      await("calls fail during the outage", () -> failures.get() > failedBefore + 100);
      redis.start();
      long succeededAfter = successes.get();
      await("the load recovers", () -> successes.get() > succeededAfter + 1_000);
      running.set(false);
      for (Future<?> worker : workers) {
        worker.get(30, TimeUnit.SECONDS);
      }
    } finally {
      running.set(false);
      pool.shutdownNow();
    }
    // A put and a get per iteration: two calls, each bounded by the timeout.
    assertThat(Duration.ofNanos(slowestNanos.get())).isLessThan(TIMEOUT.plus(SLACK)
        .multipliedBy(2));
  }

  @Test
  void writesDuringOutage_neverReplayedAfterRecovery() {
    Cache<String, String> cache = engine("open").cache("c", String.class, String.class);
    cache.put("k", "fresh");

    redis.stop();
    for (int i = 0; i < 100; i++) {
      cache.put("k", "stale-" + i);
      cache.async().put("k", "stale-async-" + i);
    }
    cache.evict("k");
    redis.start();
    await("the engine reconnects", () -> {
      cache.put("probe", "p");
      return "p".equals(cache.get("probe"));
    });
    cache.put("k", "after");

    assertThat(cache.get("k")).isEqualTo("after");
    assertThat(redis.cli("GET", namespace + ":c:k")).isEqualTo("after");
  }

  @Test
  void putDroppedByOpenCircuit_olderValueNeverReadAfterRecovery() {
    CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder().engine("redis")
        .set("redis.url", redis.url()).set("namespace", namespace)
        .set("timeout", TIMEOUT.toMillis() + "ms").set("fail-mode", "open")
        .set("circuit-breaker.failures", "1").set("circuit-breaker.cool-down", "200ms").build());
    engines.add(engine);
    Cache<String, String> cache = engine.cache("c", String.class, String.class);
    cache.put("k", "old");
    cache.put("many", "old");
    cache.put("async", "old");

    // Frozen, not stopped: the server keeps its data, as behind a network fault.
    redis.pause();
    try {
      assertThat(cache.get("probe")).isNull(); // times out: the circuit opens
    } finally {
      redis.resume();
    }
    // The open circuit refuses these before they reach the server: fail-open, so they are
    // dropped and counted, and the caller goes on.
    cache.put("k", "new");
    cache.putAll(java.util.Map.of("many", "new"));
    cache.async().put("async", "new").join();
    assertThat(cache.stats().rejectedCount()).isEqualTo(3);
    await("the circuit closes", () -> {
      cache.put("probe", "p");
      return "p".equals(cache.get("probe"));
    });

    assertThat(cache.get("k")).as("the value the dropped put replaced").isNull();
    assertThat(cache.get("many")).as("the value the dropped putAll replaced").isNull();
    assertThat(cache.get("async")).as("the value the dropped async put replaced").isNull();
  }

  @Test
  void evictDuringOutageFailClosed_throwsSoTheCallerKnows() {
    Cache<String, String> cache = engine("closed").cache("c", String.class, String.class);
    cache.put("k", "v");

    redis.stop();

    assertThatThrownBy(() -> cache.evict("k")).isInstanceOf(EngineUnavailableException.class);
    assertThatThrownBy(() -> cache.async().evict("k").get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(EngineUnavailableException.class);
  }

  @Test
  void serverPaused_everyCallReturnsWithinTheTimeout() {
    Cache<String, String> closed = engine("closed").cache("c", String.class, String.class);
    Cache<String, String> open = engine("open").cache("c", String.class, String.class);
    closed.put("k", "v");

    redis.pause();
    try {
      long start = System.nanoTime();
      assertThatThrownBy(() -> closed.get("k")).isInstanceOf(EngineUnavailableException.class)
          .hasMessageContaining("timed out");
      assertWithinTimeout(start);
      start = System.nanoTime();
      assertThat(open.get("k")).isNull();
      open.put("k", "v2");
      assertWithinTimeout(start, 2);
    } finally {
      redis.resume();
    }
    // The write sent before the pause was in the server's socket: it may have applied (a timeout
    // cannot tell), unlike writes refused while disconnected, which are never sent.
    await("the server answers again", () -> {
      try {
        return closed.lookup("k") != null;
      } catch (EngineUnavailableException e) {
        return false;
      }
    });
  }

  @Test
  void serverPaused_healthDownWhereFailuresReachCallers_degradedWithFailOpen() {
    CacheEngine closed = engine("closed");
    CacheEngine open = engine("open");
    assertThat(closed.health().status()).isEqualTo(EngineHealth.Status.UP);
    assertThat(closed.health().details()).containsKey("ping");

    redis.pause();
    try {
      EngineHealth failing = closed.health();
      assertThat(failing.status()).isEqualTo(EngineHealth.Status.DOWN);
      assertThat(failing.reason()).contains("did not answer PING");
      EngineHealth bypassed = open.health();
      assertThat(bypassed.status()).isEqualTo(EngineHealth.Status.DEGRADED);
      assertThat(bypassed.reason()).contains("did not answer PING")
          .endsWith("(fail-mode=open: calls are served without the cache)");
      assertThat(bypassed.details()).containsEntry("failMode", "open");
    } finally {
      redis.resume();
    }
    assertThat(open.health().status()).isEqualTo(EngineHealth.Status.UP);
  }

  private static void assertWithinTimeout(long startNanos) {
    assertWithinTimeout(startNanos, 1);
  }

  private static void assertWithinTimeout(long startNanos, int calls) {
    assertThat(Duration.ofNanos(System.nanoTime() - startNanos))
        .isLessThan(TIMEOUT.plus(SLACK).multipliedBy(calls));
  }

  /** Polls {@code condition} until it holds, for at most 30 seconds. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.onSpinWait();
    }
  }
}
