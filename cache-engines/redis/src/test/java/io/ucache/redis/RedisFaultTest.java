package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.EngineUnavailableException;
import io.ucache.annotation.CacheKey;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import io.ucache.spi.CircuitBreaker;
import io.ucache.testkit.LogCapture;
import io.ucache.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8's faults under a sustained mixed load of {@code @UCache} calls: while worker threads
 * read and update prices through three services, one whose engine fails open, one whose engine
 * fails closed and one that leaves {@code fail-mode} unset (the engine throws, {@code @UCache}
 * fails open), the real redis-server is killed and restarted, paused (SIGSTOP) and resumed, and
 * has its password changed and changed back.
 *
 * <ul>
 *   <li>fail-open callers never see an exception; fail-closed callers see only
 *       {@link EngineUnavailableException};
 *   <li>no call takes longer than the timeout plus {@link #MARGIN};
 *   <li>after recovery no stale value is served: prices updated during the outage (their
 *       {@code @UCacheEvict} failed) read the new price;
 *   <li>each engine's circuit opened, failures were counted, logs stayed a handful of lines, and
 *       no password reached a log or an exception.
 * </ul>
 *
 * <p>Each fault lasts {@code reliability.fault-duration} (default 1500ms) and the three run
 * {@code reliability.fault-rounds} times (default 1): the {@code soak} Maven profile raises both.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class RedisFaultTest {

  private static final String PASSWORD = "fault-Pa55word";
  private static final String ROTATED = "rotated-fault-Pa55word";
  private static final Duration TIMEOUT = Duration.ofMillis(200);
  /** Beyond the timeout, what a call may take on a loaded two-core CI machine. */
  private static final Duration MARGIN = Duration.ofSeconds(2);
  private static final Duration COOL_DOWN = Duration.ofMillis(500);
  private static final Duration FAULT = CacheConfig.parseDuration(
      System.getProperty("reliability.fault-duration", "1500ms"));
  private static final int ROUNDS = Integer.getInteger("reliability.fault-rounds", 1);
  private static final int WORKERS_PER_SERVICE = 2;
  private static final int LOAD_ITEMS = 50;
  private static final int CHECKED_ITEMS = 10;

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.withPassword(PASSWORD);

  /** Prices with a cache in front: what the load calls. */
  interface Prices {
    @UCache(name = "prices")
    String price(String item);

    @UCacheEvict(name = "prices")
    void update(@CacheKey String item, String price);
  }

  /** The source of truth behind a service. */
  static final class PriceBook implements Prices {
    final ConcurrentHashMap<String, String> prices = new ConcurrentHashMap<>();

    @Override
    public String price(String item) {
      return prices.computeIfAbsent(item, i -> i + "@0");
    }

    @Override
    public void update(String item, String price) {
      prices.put(item, price);
    }
  }

  /** One service: its engine, its interceptor, its book, and what its callers saw. */
  static final class Service {
    final String failMode;
    final CacheEngine engine;
    final UCacheInterceptor interceptor;
    final PriceBook book = new PriceBook();
    final Prices prices;
    final AtomicLong calls = new AtomicLong();
    final AtomicLong engineUnavailable = new AtomicLong();
    final AtomicLong slowestNanos = new AtomicLong();
    /** Anything a caller of this service must never see. */
    final ConcurrentLinkedQueue<Throwable> violations = new ConcurrentLinkedQueue<>();
    /** Messages of the EngineUnavailableExceptions seen, a sample, to look for passwords. */
    final ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();

    /** {@code failMode} open, closed or unset (the engine throws; @UCache fails open). */
    Service(String failMode, String namespace) {
      this.failMode = failMode;
      CacheConfig.Builder config = CacheConfig.builder().engine("redis")
          .set("redis.url", redis.url()).set(RedisSettings.PASSWORD, PASSWORD).namespace(namespace)
          .timeout(TIMEOUT).circuitBreakerFailures(5).circuitBreakerCoolDown(COOL_DOWN);
      if (!failMode.equals("unset")) {
        config.set("fail-mode", failMode);
      }
      this.engine = EngineManager.getDefault().create(config.build());
      this.interceptor = UCacheInterceptor.using(engine);
      this.prices = interceptor.proxy(Prices.class, book);
    }

    /** Whether its callers must never see an exception: @UCache fails open by default. */
    boolean failsOpen() {
      return !failMode.equals("closed");
    }

    /** Runs one call as a caller would, timing it and checking what it throws. */
    void call(Runnable call) {
      long start = System.nanoTime();
      try {
        call.run();
      } catch (EngineUnavailableException e) {
        engineUnavailable.incrementAndGet();
        if (messages.size() < 1_000) {
          messages.add(String.valueOf(e));
        }
        if (failsOpen()) {
          violations.add(e);
        }
      } catch (RuntimeException | Error e) {
        violations.add(e);
      } finally {
        slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
        calls.incrementAndGet();
      }
    }

    CircuitBreaker breaker() {
      return engine.unwrap(CircuitBreaker.class);
    }

    Cache<String, String> cache() {
      return engine.cache("prices", String.class, String.class);
    }

    void close() {
      interceptor.close();
      engine.close();
    }
  }

  @RegisterExtension
  final LogCapture logs = LogCapture.of("io.ucache");
  private final List<Service> services = new ArrayList<>();

  @AfterEach
  void tearDown() {
    services.forEach(Service::close);
    redis.resume();
    redis.start();
    redis.changePassword(PASSWORD);
  }

  /** A fault: how it starts and how it heals. */
  private record Fault(String name, Runnable start, Runnable heal) {}

  @Test
  void mixedUCacheLoad_redisKilledPausedAndLockedOut_callersUnharmedAndNothingStaleAfter()
      throws Exception {
    Service open = new Service("open", "fault-open");
    Service closed = new Service("closed", "fault-closed");
    Service unset = new Service("unset", "fault-unset");
    services.addAll(List.of(open, closed, unset));
    List<Fault> faults = List.of(
        new Fault("kill -9 and restart", redis::stop, redis::start),
        new Fault("SIGSTOP and SIGCONT", redis::pause, redis::resume),
        new Fault("password changed and changed back", () -> redis.changePassword(ROTATED),
            () -> redis.changePassword(PASSWORD)));
    long started = System.nanoTime();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(services.size() * WORKERS_PER_SERVICE);
    List<Future<?>> workers = new ArrayList<>();
    List<String> report = new ArrayList<>();
    try {
      for (Service service : services) {
        for (int w = 0; w < WORKERS_PER_SERVICE; w++) {
          workers.add(pool.submit(() -> load(service, running)));
        }
      }
      for (int round = 0; round < ROUNDS; round++) {
        for (Fault fault : faults) {
          report.add(runFault(fault, round, open, closed, unset));
        }
      }
      running.set(false);
      for (Future<?> worker : workers) {
        worker.get(1, TimeUnit.MINUTES);
      }
    } finally {
      running.set(false);
      pool.shutdownNow();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

    for (Service service : services) {
      assertThat(service.violations).as("what %s-failing callers must never see",
          service.failMode).isEmpty();
      assertThat(Duration.ofNanos(service.slowestNanos.get()))
          .as("the slowest of %d calls failing %s", service.calls.get(), service.failMode)
          .isLessThanOrEqualTo(TIMEOUT.plus(MARGIN));
      assertThat(service.breaker().openedCount()).as("its circuit opened in each fault")
          .isGreaterThanOrEqualTo((long) faults.size() * ROUNDS);
      assertThat(service.cache().stats().errorCount()).isPositive();
      assertThat(service.cache().stats().rejectedCount()).isPositive();
      for (String message : service.messages) {
        assertThat(message).doesNotContain(PASSWORD).doesNotContain(ROTATED);
      }
      report.add(String.format(Locale.ROOT, "%s: %d calls, slowest %d ms, %d "
              + "EngineUnavailableException, errorCount %d, rejectedCount %d, circuit opened %d "
              + "times", service.failMode, service.calls.get(),
          TimeUnit.NANOSECONDS.toMillis(service.slowestNanos.get()),
          service.engineUnavailable.get(), service.cache().stats().errorCount(),
          service.cache().stats().rejectedCount(), service.breaker().openedCount()));
    }
    assertThat(closed.engineUnavailable.get()).as("fail-closed callers were told").isPositive();
    List<LogRecord> warnings = logs.records().stream()
        .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    // Per engine at most a failure and an opening warning a minute, per interceptor one.
    long minutes = elapsed.toMinutes() + 1;
    assertThat(warnings).as("no log storm in %s", elapsed).hasSizeLessThanOrEqualTo(
        (int) (services.size() * 3 * minutes));
    assertThat(logs.records()).allSatisfy(r -> assertThat(String.valueOf(r.getMessage()))
        .doesNotContain(PASSWORD).doesNotContain(ROTATED));
    report.add(warnings.size() + " warnings logs.records() in " + elapsed.toMillis() + " ms");
    System.out.println("RedisFaultTest: " + String.join("\n  ", report));
  }

  /** A worker: reads (90%) and updates (10%) random prices until told to stop. */
  private static void load(Service service, AtomicBoolean running) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (running.get()) {
      String item = "load-" + random.nextInt(LOAD_ITEMS);
      if (random.nextInt(10) == 0) {
        String price = item + "@" + random.nextLong(1, Long.MAX_VALUE);
        service.call(() -> service.prices.update(item, price));
      } else {
        service.call(() -> service.prices.price(item));
      }
    }
  }

  /**
   * One fault under the running load: cache the checked prices, start the fault, update them
   * while it lasts (their evictions fail), heal it, wait for recovery, and read them back.
   */
  private String runFault(Fault fault, int round, Service... services) {
    String prefix = "r" + round + "-" + fault.name().charAt(0) + "-";
    for (Service service : services) {
      for (int i = 0; i < CHECKED_ITEMS; i++) {
        String item = prefix + i;
        assertThat(service.prices.price(item)).isEqualTo(item + "@0");
      }
    }
    long opened = openings(services);
    fault.start().run();
    long faultStarted = System.nanoTime();
    for (Service service : services) {
      for (int i = 0; i < CHECKED_ITEMS; i++) {
        String item = prefix + i;
        service.call(() -> service.prices.update(item, item + "@new"));
      }
    }
    // The fault lasts its time under load: this thread adds to it rather than wait idle.
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (System.nanoTime() - faultStarted < FAULT.toNanos()) {
      Service service = services[random.nextInt(services.length)];
      service.call(() -> service.prices.price("load-" + random.nextInt(LOAD_ITEMS)));
    }
    fault.heal().run();
    long healed = System.nanoTime();
    for (Service service : services) {
      // Recovered when the circuit is closed and a command of the cache worked: in fail-mode=open
      // a failed read is a miss, so the probe is a write read back.
      await(service.failMode + " service recovers after " + fault.name(), () -> {
        try {
          service.cache().put("probe", "p"); // the probe, once the cool-down has passed
          return service.breaker().state() == CircuitBreaker.State.CLOSED
              && "p".equals(service.cache().get("probe"));
        } catch (EngineUnavailableException e) {
          return false;
        }
      });
    }
    long recoveredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healed);
    for (Service service : services) {
      for (int i = 0; i < CHECKED_ITEMS; i++) {
        String item = prefix + i;
        assertThat(service.prices.price(item))
            .as("%s after %s: the price updated during the outage", item, fault.name())
            .isEqualTo(item + "@new");
      }
    }
    assertThat(openings(services)).as("every circuit opened during " + fault.name())
        .isGreaterThanOrEqualTo(opened + services.length);
    return fault.name() + " (round " + round + "): every service recovered " + recoveredMillis
        + " ms after it healed";
  }

  private static long openings(Service... services) {
    long openings = 0;
    for (Service service : services) {
      openings += service.breaker().openedCount();
    }
    return openings;
  }

  private static void await(String what, BooleanSupplier condition) {
    RedisOutageTest.await(what, condition);
  }
}
