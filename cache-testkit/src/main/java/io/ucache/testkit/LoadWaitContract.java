package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CacheLoadException;
import io.ucache.context.EngineManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a caller of {@link Cache#get(Object, io.ucache.CacheLoader)} waits for another caller's
 * load of the same key, on a real engine, as a JUnit 5 class an engine's test extends (like
 * {@link CacheEngineContract}): the wait honours interrupts, a cycle of loads across threads
 * (each loader asking for a key another thread is loading) fails fast with
 * {@link IllegalStateException} instead of hanging forever, and whatever a loader throws, checked
 * throwables it did not declare included, reaches every caller waiting for it.
 *
 * <p>Interleavings are forced with latches. A waiter is known to wait when its thread is parked
 * in {@code io.ucache.spi.SingleFlight}, the single-flight the SPI gives engines. The defects
 * these tests catch are hangs, so each test runs under {@code assertTimeoutPreemptively} as a
 * safety net that a passing run never reaches; threads are daemons so a hung one cannot keep the
 * JVM alive.
 *
 * <p><b>Thread-safety:</b> JUnit makes an instance per test and calls it from one thread.
 * <b>Nulls:</b> the hooks must not return {@code null}.
 */
public abstract class LoadWaitContract {

  private static final Duration SAFETY = Duration.ofSeconds(60);
  private static final long AWAIT_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final String RUN =
      Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final List<CacheEngine> engines = new CopyOnWriteArrayList<>();

  /** For subclasses. */
  protected LoadWaitContract() {}

  /**
   * A new builder for the engine under test; a fresh folder or namespace each call where engines
   * share one (see {@link CacheEngineContract#baseConfig()}).
   */
  protected abstract CacheConfig.Builder baseConfig();

  /**
   * How the engine's messages name the key {@code key} of a {@code String}-keyed cache: quoted,
   * {@code 'key'}, by default. An engine that keys its loads by an encoded form should name the
   * caller's key instead (see {@code SingleFlight.run(key, shownKey, work)}); until it does, it
   * returns the text its messages do show.
   */
  protected String keyInMessages(String key) {
    return "'" + key + "'";
  }

  /** The manager that starts engines; default {@link EngineManager#getDefault()}. */
  protected EngineManager manager() {
    return EngineManager.getDefault();
  }

  @AfterEach
  final void closeEngines() {
    RuntimeException failure = null;
    for (CacheEngine engine : engines) {
      try {
        engine.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    engines.clear();
    if (failure != null) {
      throw failure;
    }
  }

  private Cache<String, String> newCache() {
    CacheEngine engine = manager().create(baseConfig().build());
    engines.add(engine);
    return engine.cache("load-wait-" + RUN + "-" + SEQUENCE.incrementAndGet(), String.class,
        String.class);
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void get_waiterInterrupted_throwsWithFlagSetAndTheLoadGoesOn() {
    Cache<String, String> cache = newCache();
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean flagAfter = new AtomicBoolean();
    AtomicInteger secondLoads = new AtomicInteger();
    assertTimeoutPreemptively(SAFETY, () -> {
      Forked owner = fork("owner", () -> cache.get("k", key -> {
        loading.countDown();
        awaitLatch(release);
        return "loaded";
      }));
      awaitLatch(loading);
      Forked waiter = fork("waiter", () -> {
        try {
          return cache.get("k", key -> {
            secondLoads.incrementAndGet();
            return "second";
          });
        } finally {
          flagAfter.set(Thread.currentThread().isInterrupted());
        }
      });
      awaitWaitingForLoad(waiter);
      waiter.thread.interrupt();
      Throwable failure = failureOf(waiter);
      assertThat(failure).isInstanceOf(CacheLoadException.class)
          .hasMessageContaining(keyInMessages("k"))
          .hasCauseInstanceOf(InterruptedException.class);
      assertThat(flagAfter).as("interrupt flag restored").isTrue();
      assertThat(owner.outcome).isNotDone();
      release.countDown();
      assertThat(owner.outcome.get()).isEqualTo("loaded");
      assertThat(secondLoads).hasValue(0);
      assertThat(cache.get("k")).isEqualTo("loaded");
    });
  }

  @Test
  void get_twoLoadersAskForEachOthersKey_failFastNamingTheKeys() {
    assertCycleFailsFast(2);
  }

  @Test
  void get_threeLoadersInACycle_failFastNamingTheKeys() {
    assertCycleFailsFast(3);
  }

  @Test
  void get_loaderThrowsUndeclaredCheckedThrowable_everyWaiterGetsIt() {
    Cache<String, String> cache = newCache();
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // Neither an Exception nor an Error: what a sneaky throw of a checked throwable looks like
    // to code that catches Exception.
    Throwable undeclared = new Throwable("undeclared checked throwable");
    assertTimeoutPreemptively(SAFETY, () -> {
      Forked owner = fork("owner", () -> cache.get("k", key -> {
        loading.countDown();
        awaitLatch(release);
        throw LoadWaitContract.<RuntimeException>sneaky(undeclared);
      }));
      awaitLatch(loading);
      List<Forked> waiters = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        waiters.add(fork("waiter-" + i, () -> cache.get("k", key -> "second")));
      }
      for (Forked waiter : waiters) {
        awaitWaitingForLoad(waiter);
      }
      release.countDown();
      assertThat(rootOf(failureOf(owner))).isSameAs(undeclared);
      for (Forked waiter : waiters) {
        assertThat(rootOf(failureOf(waiter))).isSameAs(undeclared);
      }
      assertThat(cache.get("k")).isNull();
      assertThat(cache.get("k", key -> "fresh")).isEqualTo("fresh");
    });
  }

  /**
   * Each of {@code threads} threads loads its own key; once all own theirs, each loader asks for
   * the next thread's key (the last for the first's): a cycle, which must fail fast.
   */
  private void assertCycleFailsFast(int threads) {
    Cache<String, String> cache = newCache();
    CountDownLatch allLoading = new CountDownLatch(threads);
    assertTimeoutPreemptively(SAFETY, () -> {
      List<Forked> loads = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String mine = "key-" + i;
        String next = "key-" + (i + 1) % threads;
        loads.add(fork("loader-" + i, () -> cache.get(mine, key -> {
          allLoading.countDown();
          awaitLatch(allLoading);
          return mine + "+" + cache.get(next, other -> "never: " + next + " is loading");
        })));
      }
      List<Throwable> failures = new ArrayList<>();
      for (Forked load : loads) {
        failures.add(failureOf(load));
      }
      assertThat(failures).allSatisfy(failure -> assertThat(failure)
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("cycle"));
      for (int i = 0; i < threads; i++) {
        assertThat(failures.get(0)).hasMessageContaining(keyInMessages("key-" + i));
      }
      for (int i = 0; i < threads; i++) {
        assertThat(cache.get("key-" + i)).as("nothing cached for key-" + i).isNull();
      }
    });
  }

  // ---------------------------------------------------------------------------------------------

  /** A thread of a test and what its body returned or threw. */
  private record Forked(Thread thread, CompletableFuture<@Nullable Object> outcome) {}

  private static Forked fork(String name, Supplier<@Nullable Object> body) {
    CompletableFuture<@Nullable Object> outcome = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        outcome.complete(body.get());
      } catch (Throwable t) {
        outcome.completeExceptionally(t);
      }
    }, "load-wait-contract-" + name);
    thread.setDaemon(true);
    thread.start();
    return new Forked(thread, outcome);
  }

  private static Throwable failureOf(Forked forked) throws InterruptedException {
    try {
      Object value = forked.outcome.get();
      throw new AssertionError(forked.thread.getName() + " expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  /** The thrown one, or what a {@link CacheLoadException} wraps. */
  private static Throwable rootOf(Throwable thrown) {
    return thrown instanceof CacheLoadException && thrown.getCause() != null
        ? thrown.getCause() : thrown;
  }

  /**
   * Polls with a deadline until {@code forked} is parked waiting for another caller's load: its
   * first frame outside the JDK is the SPI's single-flight (a loader also runs inside it, but
   * under frames of its own).
   */
  private static void awaitWaitingForLoad(Forked forked) {
    Thread thread = forked.thread;
    long deadline = System.nanoTime() + AWAIT_NANOS;
    while (System.nanoTime() < deadline) {
      Thread.State state = thread.getState();
      if ((state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
          && Arrays.stream(thread.getStackTrace())
              .map(StackTraceElement::getClassName)
              .filter(name -> !name.startsWith("java.") && !name.startsWith("jdk."))
              .findFirst().orElse("").startsWith("io.ucache.spi.SingleFlight")) {
        return;
      }
      if (forked.outcome.isDone()) {
        throw new AssertionError(thread.getName() + " ended instead of waiting: "
            + forked.outcome);
      }
      Thread.onSpinWait();
    }
    throw new AssertionError(thread.getName() + " never waited for the load in progress");
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

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
