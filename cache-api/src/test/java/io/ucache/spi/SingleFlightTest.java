package io.ucache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.ucache.CacheLoadException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link SingleFlight} on its own: every outcome of the work ends the flight, waiters honour
 * interrupts and the load timeout, and cycles of loads across threads fail fast. Interleavings are
 * forced with latches; {@link #SAFETY} only ends a test that would otherwise hang.
 */
class SingleFlightTest {

  /** Ends a test that hangs (the defects under test are hangs); never reached when it passes. */
  private static final Duration SAFETY = Duration.ofSeconds(20);
  private static final long AWAIT_NANOS = TimeUnit.SECONDS.toNanos(15);

  @Test
  void run_workThrowsUndeclaredCheckedException_everyWaiterGetsIt() {
    SingleFlight<String> flight = new SingleFlight<>();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    IOException undeclared = new IOException("disk gone");
    assertTimeoutPreemptively(SAFETY, () -> {
      Forked owner = fork("owner", () -> flight.run("k", () -> {
        running.countDown();
        awaitLatch(release);
        throw SingleFlightTest.<RuntimeException>sneaky(undeclared);
      }));
      running.await();
      List<Forked> waiters = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        waiters.add(fork("waiter-" + i, () -> flight.run("k", () -> "second load")));
      }
      waiters.forEach(SingleFlightTest::awaitWaitingInSingleFlight);
      release.countDown();
      assertThat(failureOf(owner)).isSameAs(undeclared);
      for (Forked waiter : waiters) {
        assertThat(failureOf(waiter)).isSameAs(undeclared);
      }
      assertThat(flight.inFlight()).isZero();
      // The key loads again afterwards.
      assertThat(flight.run("k", () -> "fresh")).isEqualTo("fresh");
    });
  }

  @Test
  void run_workThrowsThrowable_everyWaiterGetsIt() {
    SingleFlight<String> flight = new SingleFlight<>();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Throwable odd = new Throwable("neither exception nor error");
    assertTimeoutPreemptively(SAFETY, () -> {
      Forked owner = fork("owner", () -> flight.run("k", () -> {
        running.countDown();
        awaitLatch(release);
        throw SingleFlightTest.<RuntimeException>sneaky(odd);
      }));
      running.await();
      Forked waiter = fork("waiter", () -> flight.run("k", () -> "second"));
      awaitWaitingInSingleFlight(waiter);
      release.countDown();
      assertThat(failureOf(owner)).isSameAs(odd);
      assertThat(failureOf(waiter)).isSameAs(odd);
    });
  }

  @Test
  void run_waiterInterrupted_throwsCacheLoadExceptionKeepsFlagAndLoadGoesOn() {
    SingleFlight<String> flight = new SingleFlight<>();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean flagAfter = new AtomicBoolean();
    assertTimeoutPreemptively(SAFETY, () -> {
      Forked owner = fork("owner", () -> flight.run("k", () -> {
        running.countDown();
        awaitLatch(release);
        return "loaded";
      }));
      running.await();
      Forked waiter = fork("waiter", () -> {
        try {
          return flight.run("k", () -> "second load");
        } finally {
          flagAfter.set(Thread.currentThread().isInterrupted());
        }
      });
      awaitWaitingInSingleFlight(waiter);
      waiter.thread.interrupt();
      Throwable failure = failureOf(waiter);
      assertThat(failure).isInstanceOf(CacheLoadException.class).hasMessageContaining("'k'")
          .hasCauseInstanceOf(InterruptedException.class);
      assertThat(((CacheLoadException) failure).key()).isEqualTo("k");
      assertThat(flagAfter).isTrue();
      assertThat(owner.outcome).isNotDone();
      release.countDown();
      assertThat(owner.outcome.get()).isEqualTo("loaded");
    });
  }

  @Test
  void run_waitLongerThanLoadTimeout_throwsNamingKeyAndTimeout() {
    SingleFlight<String> flight = new SingleFlight<>(Duration.ofMillis(50));
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    assertTimeoutPreemptively(SAFETY, () -> {
      Forked owner = fork("owner", () -> flight.run("slow-key", () -> {
        running.countDown();
        awaitLatch(release);
        return "loaded";
      }));
      running.await();
      // The owner waits for the latch, released only below: this wait can only end by timing out.
      assertThatThrownBy(() -> flight.run("slow-key", () -> "second load"))
          .isInstanceOf(CacheLoadException.class)
          .hasMessageContaining("'slow-key'").hasMessageContaining("PT0.05S")
          .hasCauseInstanceOf(TimeoutException.class);
      release.countDown();
      assertThat(owner.outcome.get()).isEqualTo("loaded");
    });
  }

  @Test
  void constructor_nonPositiveTimeout_isRefused() {
    assertThatThrownBy(() -> new SingleFlight<String>(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    assertThat(new SingleFlight<String>(null).run("k", () -> "v")).isEqualTo("v");
  }

  @Test
  void run_twoThreadsLoadEachOthersKey_failsFastNamingTheKeys() {
    assertCycleFailsFast(2);
  }

  @Test
  void run_threeThreadsLoadInACycle_failsFastNamingTheKeys() {
    assertCycleFailsFast(3);
  }

  @Test
  void run_cycleAcrossTwoInstances_failsFast() {
    SingleFlight<String> first = new SingleFlight<>();
    SingleFlight<String> second = new SingleFlight<>();
    CountDownLatch bothOwn = new CountDownLatch(2);
    assertTimeoutPreemptively(SAFETY, () -> {
      Forked a = fork("a", () -> first.run("a-key", () -> {
        bothOwn.countDown();
        awaitLatch(bothOwn);
        return second.run("b-key", () -> "never");
      }));
      Forked b = fork("b", () -> second.run("b-key", () -> {
        bothOwn.countDown();
        awaitLatch(bothOwn);
        return first.run("a-key", () -> "never");
      }));
      assertThat(failureOf(a)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("a-key").hasMessageContaining("b-key");
      assertThat(failureOf(b)).isInstanceOf(IllegalStateException.class);
    });
  }

  @Test
  void run_waitForLoadThatWaitsForAnotherThread_isNoCycle() {
    // a loads k1 and waits for k2 (loaded by b); c waits for k1: a chain, not a cycle.
    SingleFlight<String> flight = new SingleFlight<>();
    CountDownLatch bOwns = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    assertTimeoutPreemptively(SAFETY, () -> {
      Forked b = fork("b", () -> flight.run("k2", () -> {
        bOwns.countDown();
        awaitLatch(release);
        return "v2";
      }));
      bOwns.await();
      Forked a = fork("a", () -> flight.run("k1",
          () -> "v1+" + flight.run("k2", () -> "again")));
      awaitWaitingInSingleFlight(a);
      Forked c = fork("c", () -> flight.run("k1", () -> "again"));
      awaitWaitingInSingleFlight(c);
      release.countDown();
      assertThat(b.outcome.get()).isEqualTo("v2");
      assertThat(a.outcome.get()).isEqualTo("v1+v2");
      assertThat(c.outcome.get()).isEqualTo("v1+v2");
    });
  }

  @Test
  void run_ownKeyFromItsWork_throwsIllegalState() {
    SingleFlight<String> flight = new SingleFlight<>();
    assertThatThrownBy(() -> flight.run("k", () -> flight.run("k", () -> "inner")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'k'");
    assertThat(flight.inFlight()).isZero();
  }

  @Test
  void run_withShownKey_messagesNameTheShownKey() {
    SingleFlight<String> flight = new SingleFlight<>();
    assertThatThrownBy(() -> flight.run("encoded", "caller-key",
        () -> flight.run("encoded", "caller-key", () -> "inner")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'caller-key'");
  }

  /**
   * {@code threads} threads each load key i, and once all own theirs, ask for key i+1 (the last
   * for key 0): a cycle. At least one must fail with IllegalStateException naming the keys, and
   * that failure ends every load of the cycle.
   */
  private static void assertCycleFailsFast(int threads) {
    SingleFlight<String> flight = new SingleFlight<>();
    CountDownLatch allOwn = new CountDownLatch(threads);
    assertTimeoutPreemptively(SAFETY, () -> {
      List<Forked> loads = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String mine = "key-" + i;
        String next = "key-" + (i + 1) % threads;
        loads.add(fork("loader-" + i, () -> flight.run(mine, () -> {
          allOwn.countDown();
          awaitLatch(allOwn);
          return flight.run(next, () -> "never: " + next + " is loading");
        })));
      }
      List<Throwable> failures = new ArrayList<>();
      for (Forked load : loads) {
        failures.add(failureOf(load));
      }
      assertThat(failures).allSatisfy(f -> assertThat(f).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cycle"));
      for (int i = 0; i < threads; i++) {
        assertThat(failures.get(0)).hasMessageContaining("'key-" + i + "'");
      }
      assertThat(flight.inFlight()).isZero();
    });
  }

  // ---------------------------------------------------------------------------------------------

  /** A thread of a test and what its body returned or threw. */
  // --- runAll (bulk loads)

  @Test
  void runAll_keysAnotherCallerLoads_notClaimedButAwaitedForTheirValues() {
    SingleFlight<String> flight = new SingleFlight<>();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<java.util.Set<String>> claimed = new java.util.concurrent.CopyOnWriteArrayList<>();
    assertTimeoutPreemptively(SAFETY, () -> {
      Forked single = fork("single", () -> flight.run("b", () -> {
        running.countDown();
        awaitLatch(release);
        return "b-from-single";
      }));
      running.await();
      Forked bulk = fork("bulk", () -> flight.runAll(List.of("a", "b", "c"), keys -> {
        claimed.add(java.util.Set.copyOf(keys));
        return java.util.Map.of("a", "a-from-bulk");
      }, "left-out"));
      awaitWaitingInSingleFlight(bulk);
      release.countDown();

      assertThat(bulk.outcome.get()).isEqualTo(java.util.Map.of("a", "a-from-bulk",
          "b", "b-from-single", "c", "left-out"));
      assertThat(claimed).as("one bulk call, without the key in flight")
          .containsExactly(java.util.Set.of("a", "c"));
      assertThat(single.outcome.get()).isEqualTo("b-from-single");
      assertThat(flight.inFlight()).isZero();
    });
  }

  @Test
  void runAll_workThrows_waitersForItsKeysGetTheFailure() {
    SingleFlight<String> flight = new SingleFlight<>();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    IllegalStateException failure = new IllegalStateException("source down");
    assertTimeoutPreemptively(SAFETY, () -> {
      Forked bulk = fork("bulk", () -> flight.runAll(List.of("a", "b"), keys -> {
        running.countDown();
        awaitLatch(release);
        throw failure;
      }, "left-out"));
      running.await();
      Forked waiter = fork("waiter", () -> flight.run("b", () -> "second load"));
      awaitWaitingInSingleFlight(waiter);
      release.countDown();

      assertThat(failureOf(bulk)).isSameAs(failure);
      assertThat(failureOf(waiter)).isSameAs(failure);
      assertThat(flight.inFlight()).isZero();
    });
  }

  private record Forked(Thread thread, CompletableFuture<@Nullable Object> outcome) {}

  private static Forked fork(String name, Supplier<@Nullable Object> body) {
    CompletableFuture<@Nullable Object> outcome = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        outcome.complete(body.get());
      } catch (Throwable t) {
        outcome.completeExceptionally(t);
      }
    }, "single-flight-test-" + name);
    thread.setDaemon(true); // a thread hung by a defect must not keep the JVM alive
    thread.start();
    return new Forked(thread, outcome);
  }

  private static Throwable failureOf(Forked forked) throws InterruptedException {
    try {
      Object value = forked.outcome.get();
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  /**
   * Polls, with a deadline, until {@code forked} is parked waiting for a load in SingleFlight:
   * the first frame outside the JDK is SingleFlight's (a load's owner runs its work inside
   * SingleFlight too, but its first frame outside the JDK is the work's).
   */
  static void awaitWaitingInSingleFlight(Forked forked) {
    Thread thread = forked.thread;
    long deadline = System.nanoTime() + AWAIT_NANOS;
    while (System.nanoTime() < deadline) {
      Thread.State state = thread.getState();
      if ((state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
          && Arrays.stream(thread.getStackTrace())
              .map(StackTraceElement::getClassName)
              .filter(name -> !name.startsWith("java.") && !name.startsWith("jdk."))
              .findFirst().orElse("").startsWith(SingleFlight.class.getName())) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError(thread.getName() + " never waited in SingleFlight");
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
