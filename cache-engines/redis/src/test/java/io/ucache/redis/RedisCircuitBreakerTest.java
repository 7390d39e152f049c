package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.EngineUnavailableException;
import io.ucache.context.EngineManager;
import io.ucache.spi.CircuitBreaker;
import io.ucache.testkit.FakeTicker;
import io.ucache.testkit.LogCapture;
import io.ucache.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The redis engine's circuit breaker and failed evictions against a real redis-server that the
 * tests pause (SIGSTOP), resume and give a new password. The breaker's time is a
 * {@link FakeTicker}: a cool-down passes only when a test says so.
 */
class RedisCircuitBreakerTest {

  private static final String PASSWORD = "first-Pa55word";
  private static final String NEW_PASSWORD = "rotated-Pa55word";
  private static final Duration TIMEOUT = Duration.ofMillis(200);
  private static final Duration COOL_DOWN = Duration.ofSeconds(30);
  private static final int FAILURES = 3;
  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.withPassword(PASSWORD);

  private final FakeTicker ticker = new FakeTicker();
  private final List<CacheEngine> engines = new ArrayList<>();
  private final String namespace = "breaker-" + NAMESPACES.incrementAndGet();
  @RegisterExtension
  final LogCapture logs = LogCapture.of("io.ucache");

  @AfterEach
  void restoreServer() {
    redis.resume();
    engines.forEach(CacheEngine::close);
    redis.changePassword(PASSWORD);
  }

  private Cache<String, String> cache(String failMode) {
    CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder().engine("redis")
        .set("redis.url", redis.url()).set(RedisSettings.PASSWORD, PASSWORD).set("namespace", namespace)
        .set("redis.value-format", "plain")
        .timeout(TIMEOUT).set("fail-mode", failMode).circuitBreakerFailures(FAILURES)
        .circuitBreakerCoolDown(COOL_DOWN).ticker(ticker).build());
    engines.add(engine);
    return engine.cache("c", String.class, String.class);
  }

  private CircuitBreaker breaker() {
    return engines.get(engines.size() - 1).unwrap(CircuitBreaker.class);
  }

  @Test
  void pausedServerFailClosed_opensAfterConsecutiveFailuresThenSkipsAtOnce() {
    Cache<String, String> cache = cache("closed");
    cache.put("k", "v");
    redis.pause();

    for (int i = 0; i < FAILURES; i++) {
      assertThatThrownBy(() -> cache.get("k")).isInstanceOf(EngineUnavailableException.class)
          .hasMessageContaining("timed out");
    }
    assertThat(breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);

    long start = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      assertThatThrownBy(() -> cache.get("k")).isInstanceOf(EngineUnavailableException.class)
          .hasMessageContaining("circuit breaker is open").hasMessageContaining("timed out");
    }
    Duration hundredSkips = Duration.ofNanos(System.nanoTime() - start);
    System.out.println("RedisCircuitBreakerTest: 100 calls skipped by the open circuit (each "
        + "throwing EngineUnavailableException) took " + hundredSkips.toNanos() / 1_000 + " us");

    assertThat(hundredSkips).as("100 skipped calls together, not one timeout each")
        .isLessThan(TIMEOUT.multipliedBy(5));
    assertThat(cache.stats().rejectedCount()).isEqualTo(100);
    assertThat(cache.stats().errorCount()).isEqualTo(FAILURES + 100);
    assertThat(breaker().rejectedCount()).isEqualTo(100);
  }

  @Test
  void pausedServerFailOpen_swallowedErrorsStillOpenTheCircuit() {
    Cache<String, String> cache = cache("open");
    cache.put("k", "v");
    redis.pause();

    openCircuit(cache);

    assertThat(breaker().failureCount()).as("timeouts swallowed as misses").isEqualTo(FAILURES);
    long errors = cache.stats().errorCount();
    long rejected = cache.stats().rejectedCount();
    long start = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      assertThat(cache.get("k")).isNull();
      cache.put("k", "dropped");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.multipliedBy(5));
    assertThat(cache.stats().errorCount()).isEqualTo(errors + 200);
    assertThat(cache.stats().rejectedCount()).isEqualTo(rejected + 200);
  }

  @Test
  void pausedServerFailOpen_aThreadWaitsOneTimeoutThenSkipsRedisForOneTimeout() {
    Cache<String, String> cache = cache("open");
    cache.put("k", "v");
    redis.pause();

    long start = System.nanoTime();
    assertThat(cache.get("k", key -> "loaded")).isEqualTo("loaded"); // a read, a load, a write
    cache.put("j", "dropped");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(breaker().failureCount()).as("only the first read was sent").isOne();
    assertThat(cache.stats().rejectedCount()).as("the second read, the write of the load and "
        + "the put").isEqualTo(3);
    assertThat(took).as("one timeout and a margin for a loaded machine, not four timeouts")
        .isLessThan(TIMEOUT.plus(Duration.ofMillis(500)));
  }

  /** Sends reads until the circuit is open: a fail-open thread skips Redis after a failure. */
  private void openCircuit(Cache<String, String> cache) {
    await("the circuit opens", () -> {
      assertThat(cache.get("k")).isNull();
      return breaker().state() == CircuitBreaker.State.OPEN;
    });
  }

  /** Polls a write and a read until both reach Redis: evictions pending are applied first. */
  private void awaitRecovery(Cache<String, String> cache) {
    await("a command reaches Redis again", () -> {
      ticker.advance(COOL_DOWN);
      try {
        cache.put("probe", "p");
        return "p".equals(cache.get("probe"));
      } catch (EngineUnavailableException e) {
        return false;
      }
    });
  }

  @Test
  void serverBack_circuitStaysOpenUntilTheCoolDownThenOneProbeClosesIt() throws Exception {
    Cache<String, String> cache = cache("closed");
    cache.put("k", "v");
    redis.pause();
    for (int i = 0; i < FAILURES; i++) {
      catchThrowable(() -> cache.get("k"));
    }
    redis.resume();

    assertThatThrownBy(() -> cache.get("k")).hasMessageContaining("circuit breaker is open");
    assertThatThrownBy(() -> cache.async().get("k").get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("circuit breaker is open");
    ticker.advance(COOL_DOWN);

    assertThat(cache.get("k")).as("the probe").isEqualTo("v");
    assertThat(breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(cache.async().get("k").get(5, TimeUnit.SECONDS)).isEqualTo("v");
    assertThat(logs.records()).filteredOn(r -> r.getLevel() == Level.INFO)
        .anySatisfy(r -> assertThat(r.getMessage()).contains("is closed"));
  }

  @Test
  void probeFails_circuitOpensForAnotherCoolDown() {
    Cache<String, String> cache = cache("open");
    redis.pause();
    openCircuit(cache);
    ticker.advance(COOL_DOWN);

    await("the probe is sent and times out", () -> {
      assertThat(cache.get("k")).isNull();
      return breaker().failureCount() == FAILURES + 1;
    });

    assertThat(breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker().tryAcquire()).as("another cool-down").isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"open", "closed"})
  void evictWhileLockedOut_neverSent_appliedBeforeTheFirstCommandAfterRecovery(String failMode) {
    Cache<String, String> cache = cache(failMode);
    cache.put("k", "old");
    cache.put("async", "old");
    cache.put("other", "kept");
    redis.changePassword(NEW_PASSWORD); // the engine's connection is closed; it cannot log in

    Throwable evictFailure = catchThrowable(() -> cache.evict("k"));
    Throwable asyncFailure = catchThrowable(() -> cache.async().evict("async")
        .get(5, TimeUnit.SECONDS));
    if (failMode.equals("closed")) {
      assertThat(evictFailure).as("reported to the caller")
          .isInstanceOf(EngineUnavailableException.class);
      assertThat(asyncFailure).hasCauseInstanceOf(EngineUnavailableException.class);
    } else {
      assertThat(evictFailure).isNull();
      assertThat(asyncFailure).isNull();
    }
    assertThat(cache.stats().errorCount()).as("counted").isEqualTo(2);
    redis.changePassword(PASSWORD);
    assertThat(redis.cli("GET", namespace + ":c:k")).as("never sent: still in Redis")
        .isEqualTo("old");

    await("the engine logs in again", () -> {
      ticker.advance(COOL_DOWN);
      try {
        cache.put("probe", "p");
        return "p".equals(cache.get("probe"));
      } catch (EngineUnavailableException e) {
        return false;
      }
    });

    assertThat(redis.cli("EXISTS", namespace + ":c:k")).isEqualTo("0");
    assertThat(redis.cli("EXISTS", namespace + ":c:async")).isEqualTo("0");
    assertThat(cache.get("k")).isNull();
    assertThat(cache.get("other")).isEqualTo("kept");
  }

  @Test
  void evictSkippedByOpenCircuit_rememberedAndAppliedAfterTheProbe() {
    Cache<String, String> cache = cache("open");
    cache.put("k", "old");
    redis.pause();
    openCircuit(cache);
    long rejected = cache.stats().rejectedCount();
    cache.evict("k"); // not even sent: the circuit is open
    assertThat(cache.stats().rejectedCount()).isEqualTo(rejected + 1);
    redis.resume();
    assertThat(redis.cli("GET", namespace + ":c:k")).isEqualTo("old");

    awaitRecovery(cache);

    assertThat(cache.get("k")).isNull();
    assertThat(redis.cli("EXISTS", namespace + ":c:k")).isEqualTo("0");
  }

  @Test
  void clearDuringPause_appliedBeforeTheNextCommand() {
    Cache<String, String> cache = cache("open");
    for (int i = 0; i < 50; i++) {
      cache.put("k" + i, "old");
    }
    redis.pause();
    cache.clear(); // its SCAN times out: no UNLINK was sent
    redis.resume();
    assertThat(redis.cli("--scan", "--pattern", namespace + ":c:*").lines()).hasSize(50);

    awaitRecovery(cache);

    assertThat(redis.cli("--scan", "--pattern", namespace + ":c:*")).isEqualTo(namespace
        + ":c:probe");
  }

  @Test
  void putTimedOutDuringPause_appliedLateByTheServer_thenRemovedByTheFailedEviction() {
    Cache<String, String> cache = cache("open");
    cache.put("k", "old");
    redis.pause();
    // Both reach the frozen server's socket and time out here; it runs them when thawed.
    cache.evict("k");
    cache.put("k", "written during the outage");
    redis.resume();

    awaitRecovery(cache);

    assertThat(cache.get("k")).as("the eviction, applied again after the late write").isNull();
    assertThat(redis.cli("EXISTS", namespace + ":c:k")).isEqualTo("0");
    cache.put("k", "after");
    assertThat(cache.get("k")).isEqualTo("after");
  }

  @Test
  void close_withEvictionsNotApplied_warnsThatTheyAreLost() {
    Cache<String, String> cache = cache("open");
    redis.pause();
    cache.evict("k");
    cache.evict("j");

    engines.get(0).close();

    assertThat(logs.records()).filteredOn(r -> r.getLevel() == Level.WARNING)
        .anySatisfy(r -> assertThat(r.getMessage()).contains("2 evictions")
            .contains("cannot be applied"));
  }

  @Test
  void passwordChanged_callsFailWithoutTheirPasswordsUntilItIsBack() {
    Cache<String, String> closed = cache("closed");
    Cache<String, String> open = cache("open");
    closed.put("k", "v");
    CircuitBreaker closedBreaker = engines.get(0).unwrap(CircuitBreaker.class);

    redis.changePassword(NEW_PASSWORD);

    List<Throwable> failures = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      failures.add(catchThrowable(() -> closed.get("k")));
      assertThat(open.get("k")).isNull();
    }
    assertThat(failures).allSatisfy(failure -> assertThat(failure)
        .isInstanceOf(EngineUnavailableException.class));
    assertThat(closedBreaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

    redis.changePassword(PASSWORD);
    await("both engines log in again", () -> {
      ticker.advance(COOL_DOWN);
      try {
        return "v".equals(closed.get("k")) && "v".equals(open.get("k"));
      } catch (EngineUnavailableException e) {
        if (failures.size() < 1_000) {
          failures.add(e);
        }
        return false;
      }
    });
    for (Throwable failure : failures) {
      assertThat(failure.toString()).doesNotContain(PASSWORD).doesNotContain(NEW_PASSWORD);
    }
    assertThat(logs.records()).allSatisfy(record -> assertThat(String.valueOf(record.getMessage()))
        .doesNotContain(PASSWORD).doesNotContain(NEW_PASSWORD));
  }

  /** Polls {@code condition} until it holds, for at most 30 seconds. */
  static void await(String what, BooleanSupplier condition) {
    RedisOutageTest.await(what, condition);
  }
}
