package io.ucache.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.CacheConfig;
import io.ucache.EngineUnavailableException;
import io.ucache.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The circuit breaker on a fake ticker: when it opens, what a skip costs, the one probe, what
 * closes it, and what it logs. No sleeping: time moves only when the test moves it.
 */
class CircuitBreakerTest {

  private static final Duration COOL_DOWN = Duration.ofSeconds(5);

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = nanos::get;
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  /** Held strongly: java.util.logging keeps loggers only weakly. */
  private final Logger log = Logger.getLogger(CircuitBreaker.class.getName());
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logged.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void captureLogs() {
    log.addHandler(capture);
    log.setUseParentHandlers(false); // the test reads them; the console need not
  }

  @AfterEach
  void releaseLogs() {
    log.removeHandler(capture);
    log.setUseParentHandlers(true);
  }

  private CircuitBreaker breaker(int failures) {
    return CircuitBreaker.create("redis", "Redis at redis://:hunter2@127.0.0.1:7000",
        CacheConfig.builder().circuitBreakerFailures(failures).circuitBreakerCoolDown(COOL_DOWN)
            .ticker(ticker).build());
  }

  private void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  private static void fail(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(breaker.tryAcquire()).isTrue();
      breaker.onFailure("Redis at redis://127.0.0.1:7000 did not answer within PT0.2S");
    }
  }

  private List<LogRecord> records(Level level) {
    return logged.stream().filter(r -> r.getLevel() == level).toList();
  }

  @Test
  void create_fromConfig_usesItsKeys() {
    CircuitBreaker breaker = breaker(3);

    assertThat(breaker.failureThreshold()).isEqualTo(3);
    assertThat(breaker.coolDown()).isEqualTo(COOL_DOWN);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(CircuitBreaker.create("redis", "x", CacheConfig.defaults()).failureThreshold())
        .isEqualTo(5);
  }

  @Test
  void onFailure_belowThreshold_staysClosed() {
    CircuitBreaker breaker = breaker(3);

    fail(breaker, 2);

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.failureCount()).isEqualTo(2);
  }

  @Test
  void onSuccess_betweenFailures_resetsTheConsecutiveCount() {
    CircuitBreaker breaker = breaker(3);

    fail(breaker, 2);
    breaker.onSuccess();
    fail(breaker, 2);

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    fail(breaker, 1);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void onFailure_atThreshold_opensAndSkipsCallsUntilTheCoolDownPassed() {
    CircuitBreaker breaker = breaker(3);

    fail(breaker, 3);

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.openedCount()).isOne();
    for (int i = 0; i < 1_000; i++) {
      assertThat(breaker.tryAcquire()).isFalse();
    }
    advance(COOL_DOWN.minusNanos(1));
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(breaker.rejectedCount()).isEqualTo(1_001);
  }

  @Test
  void tryAcquire_afterCoolDown_letsExactlyOneProbeThroughAmongManyThreads() throws Exception {
    CircuitBreaker breaker = breaker(1);
    fail(breaker, 1);
    advance(COOL_DOWN);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Integer>> permits = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        permits.add(pool.submit(() -> {
          start.await();
          int permitted = 0;
          for (int i = 0; i < 1_000; i++) {
            if (breaker.tryAcquire()) {
              permitted++;
            }
          }
          return permitted;
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> permitted : permits) {
        total += permitted.get(30, TimeUnit.SECONDS);
      }

      assertThat(total).as("one probe").isOne();
      assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
      assertThat(breaker.rejectedCount()).isEqualTo(threads * 1_000L - 1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void probe_succeeds_closesTheCircuit() {
    CircuitBreaker breaker = breaker(2);
    fail(breaker, 2);
    advance(COOL_DOWN);

    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onSuccess();

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
    // The count starts again: one failure does not reopen it.
    fail(breaker, 1);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void probe_fails_opensForAnotherCoolDown() {
    CircuitBreaker breaker = breaker(2);
    fail(breaker, 2);
    advance(COOL_DOWN);

    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onFailure("still down");

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.openedCount()).as("a failed probe is the same outage").isOne();
    advance(COOL_DOWN.minusMillis(1));
    assertThat(breaker.tryAcquire()).isFalse();
    advance(Duration.ofMillis(1));
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void probe_neverReports_anotherProbeAfterACoolDown() {
    CircuitBreaker breaker = breaker(1);
    fail(breaker, 1);
    advance(COOL_DOWN);
    assertThat(breaker.tryAcquire()).isTrue(); // its caller failed elsewhere and never reports

    assertThat(breaker.tryAcquire()).isFalse();
    advance(COOL_DOWN);
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).isFalse();
  }

  @Test
  void onSuccess_lateCallWhileOpen_doesNotCloseIt() {
    CircuitBreaker breaker = breaker(1);
    fail(breaker, 1);

    breaker.onSuccess(); // a call sent before the circuit opened, answered late

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
  }

  @Test
  void failuresZero_neverOpens() {
    CircuitBreaker breaker = breaker(0);

    fail(breaker, 10_000);

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.rejectedCount()).isZero();
    assertThat(breaker.failureCount()).isEqualTo(10_000);
  }

  @Test
  void rejection_namesEngineAndLastFailure_neverThePassword() {
    CircuitBreaker breaker = breaker(1);
    breaker.onFailure("Cannot connect to redis://user:hunter2@127.0.0.1:7000");
    advance(Duration.ofSeconds(2));

    EngineUnavailableException rejection = breaker.rejection();

    assertThat(rejection.engine()).isEqualTo("redis");
    assertThat(rejection.getMessage()).contains("circuit breaker is open")
        .contains("Cannot connect").contains("3000 ms").doesNotContain("hunter2");
    assertThat(breaker.toString()).contains("OPEN").doesNotContain("hunter2");
  }

  @Test
  void logs_longOutage_oneFailureWarningOneOpeningWarningAndOneClosingInfo() {
    CircuitBreaker breaker = breaker(5);

    // A long outage: failures, probes failing every cool-down, thousands of skipped calls.
    for (int round = 0; round < 10; round++) {
      for (int i = 0; i < 1_000; i++) {
        if (breaker.tryAcquire()) {
          breaker.onFailure("Redis at redis://:hunter2@127.0.0.1:7000 did not answer");
        }
      }
      advance(COOL_DOWN);
    }
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onSuccess();

    List<LogRecord> warnings = records(Level.WARNING);
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0).getMessage()).contains("redis engine failed")
        .contains("(at most one such warning a minute)");
    assertThat(warnings.get(1).getMessage()).contains("circuit breaker of the redis engine")
        .contains("is open after 5 consecutive failures").contains("PT5S");
    assertThat(records(Level.INFO)).singleElement().satisfies(info ->
        assertThat(info.getMessage()).contains("is closed").contains("skipped while it was open"));
    assertThat(logged).allSatisfy(record ->
        assertThat(record.getMessage()).doesNotContain("hunter2"));
  }

  @Test
  void logs_failuresEveryFewSeconds_atMostOneWarningAMinuteCountingTheOthers() {
    CircuitBreaker breaker = breaker(0);

    for (int i = 0; i < 30; i++) { // one failure every 3 s for 90 s
      breaker.onFailure("timeout " + i);
      advance(Duration.ofSeconds(3));
    }

    List<LogRecord> warnings = records(Level.WARNING);
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0).getMessage()).contains("timeout 0").doesNotContain("not logged");
    assertThat(warnings.get(1).getMessage()).contains("timeout 20")
        .contains("19 more failures since the last warning were not logged");
  }

  @Test
  void logs_circuitFlapping_atMostOneOpeningWarningAMinute() {
    CircuitBreaker breaker = breaker(1);

    for (int i = 0; i < 10; i++) { // opens, closes, opens again: every 6 s
      fail(breaker, 1);
      advance(COOL_DOWN);
      assertThat(breaker.tryAcquire()).isTrue();
      breaker.onSuccess();
      advance(Duration.ofSeconds(1));
    }

    assertThat(breaker.openedCount()).isEqualTo(10);
    assertThat(records(Level.WARNING)).hasSize(1);
    assertThat(records(Level.INFO)).as("only the end of a logged opening").hasSize(1);
  }
}
