package io.ucache.interceptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.EngineUnavailableException;
import io.ucache.annotation.UCache;
import io.ucache.context.EngineManager;
import io.ucache.spi.Availability;
import io.ucache.spi.EngineProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the interceptor starts an engine of its own on first use: once at a time per engine,
 * outside every map lock (callers that come meanwhile wait for that one attempt), behind the
 * circuit breaker. The engine's provider counts start attempts and holds each one on a latch, so
 * every caller is known to be waiting before the attempt ends.
 */
class UCacheEngineStartTest {

  private static final Duration SAFETY = Duration.ofSeconds(60);
  private static final long AWAIT_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final int CALLERS = 16;

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  /** A provider whose start attempts wait for {@link #release}, then fail or succeed. */
  static final class HeldProvider implements EngineProvider {
    final AtomicInteger attempts = new AtomicInteger();
    final CountDownLatch firstAttempt = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean unavailable = true;

    @Override
    public String name() {
      return "held";
    }

    @Override
    public Set<Capability> capabilities() {
      return EnumSet.of(Capability.IN_PROCESS);
    }

    @Override
    public int priority() {
      return 1000;
    }

    @Override
    public Availability availability() {
      return Availability.yes();
    }

    @Override
    public CacheEngine create(CacheConfig config) {
      attempts.incrementAndGet();
      firstAttempt.countDown();
      awaitLatch(release);
      if (unavailable) {
        throw new EngineUnavailableException("held", "the held engine cannot start: server down");
      }
      return new UCacheInterceptorTest.MapEngine("held", config, Capability.IN_PROCESS);
    }
  }

  public interface Squares {
    @UCache
    String square(String n);
  }

  private static final class CountingSquares implements Squares {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String square(String n) {
      calls.incrementAndGet();
      int i = Integer.parseInt(n);
      return Integer.toString(i * i);
    }
  }

  @Test
  void call_16CallersWhileEngineCannotStart_oneStartAttemptThenTheBreakerLimitsThem() {
    HeldProvider provider = new HeldProvider();
    UCacheInterceptor ucache = UCacheInterceptor.using(EngineManager.of(provider),
        CacheConfig.builder().circuitBreakerFailures(5).build());
    resources.add(ucache);
    CountingSquares target = new CountingSquares();
    Squares squares = ucache.proxy(Squares.class, target);

    assertTimeoutPreemptively(SAFETY, () -> {
      List<Thread> threads = new ArrayList<>();
      List<CompletableFuture<String>> results = new ArrayList<>();
      for (int i = 0; i < CALLERS; i++) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
          try {
            result.complete(squares.square("3"));
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        }, "engine-start-caller-" + i);
        thread.setDaemon(true);
        threads.add(thread);
        results.add(result);
        thread.start();
      }
      awaitLatch(provider.firstAttempt);
      // Every other caller must be blocked (on a lock or waiting) before the attempt ends.
      awaitAllBlocked(threads);
      provider.release.countDown();
      for (CompletableFuture<String> result : results) {
        assertThat(result.get()).as("fail-open: the method runs").isEqualTo("9");
      }
      assertThat(provider.attempts).as("start attempts of 16 concurrent callers").hasValue(1);
      for (int i = 0; i < 20; i++) {
        assertThat(squares.square("4")).isEqualTo("16");
      }
      assertThat(provider.attempts).as("start attempts: the breaker opens after 5 failures")
          .hasValue(5);
      assertThat(target.calls).hasValue(CALLERS + 20);
    });
  }

  @Test
  void call_16CallersWhileEngineStarts_shareOneStartedEngine() {
    HeldProvider provider = new HeldProvider();
    provider.unavailable = false;
    UCacheInterceptor ucache = UCacheInterceptor.using(EngineManager.of(provider),
        CacheConfig.defaults());
    resources.add(ucache);
    CountingSquares target = new CountingSquares();
    Squares squares = ucache.proxy(Squares.class, target);

    assertTimeoutPreemptively(SAFETY, () -> {
      List<Thread> threads = new ArrayList<>();
      List<CompletableFuture<String>> results = new ArrayList<>();
      for (int i = 0; i < CALLERS; i++) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
          try {
            result.complete(squares.square("5"));
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        }, "engine-start-caller-" + i);
        thread.setDaemon(true);
        threads.add(thread);
        results.add(result);
        thread.start();
      }
      awaitLatch(provider.firstAttempt);
      awaitAllBlocked(threads);
      provider.release.countDown();
      for (CompletableFuture<String> result : results) {
        assertThat(result.get()).isEqualTo("25");
      }
      assertThat(provider.attempts).hasValue(1);
      assertThat(squares.square("5")).isEqualTo("25");
      assertThat(target.calls).as("one engine, one cache: the method ran at most once per "
          + "caller before the first value was cached, then hit").hasValueLessThanOrEqualTo(
          CALLERS);
      int before = target.calls.get();
      squares.square("5");
      assertThat(target.calls).as("a hit").hasValue(before);
    });
  }

  /**
   * Polls with a deadline until all of {@code threads} are blocked on a monitor or parked: the
   * one running the start attempt on the provider's latch, the others on the engine start.
   */
  private static void awaitAllBlocked(List<Thread> threads) {
    long deadline = System.nanoTime() + AWAIT_NANOS;
    while (System.nanoTime() < deadline) {
      long blocked = threads.stream().map(Thread::getState)
          .filter(state -> state == Thread.State.BLOCKED || state == Thread.State.WAITING
              || state == Thread.State.TIMED_WAITING)
          .count();
      if (blocked == threads.size()) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("the callers never all waited for the engine start");
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(AWAIT_NANOS, TimeUnit.NANOSECONDS)) {
        throw new AssertionError("latch never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
