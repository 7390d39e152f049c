package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.ucache.CacheConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Time and background work for the refresh contracts: a {@link FakeTicker} where the engine
 * takes its clock from the configuration, else the real clock in steps of a given unit; and an
 * executor for background refreshes that a test can wait on until every task it was given has
 * finished. Not thread-safe: one per test.
 */
final class RefreshHarness {

  static final Duration AWAIT = Duration.ofSeconds(30);

  private final @Nullable FakeTicker ticker;
  /** The unit of time the tests count in. */
  final Duration unit;
  /** A small part of {@link #unit}: what "just after" means. */
  final Duration margin;
  private final AtomicInteger running = new AtomicInteger();
  private final ExecutorService pool = Executors.newCachedThreadPool();
  /** While set, background tasks wait for it before they run. */
  private volatile @Nullable CountDownLatch gate;

  /** With a fake ticker; else ({@code realTimeUnit} given) the real clock. */
  RefreshHarness(boolean fakeTicker, Duration realTimeUnit) {
    this.ticker = fakeTicker ? new FakeTicker() : null;
    this.unit = fakeTicker ? Duration.ofMinutes(10) : realTimeUnit;
    this.margin = unit.dividedBy(fakeTicker ? 100 : 5);
  }

  /** Whether time is a fake ticker's, so "before" and "just after" are exact. */
  boolean exactTime() {
    return ticker != null;
  }

  /** {@code config} with this harness's ticker and executor. */
  CacheConfig.Builder configure(CacheConfig.Builder config) {
    config.executor(task -> {
      running.incrementAndGet();
      CountDownLatch held = gate;
      pool.execute(() -> {
        try {
          if (held != null && !held.await(AWAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("background work held and never released");
          }
          task.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          running.decrementAndGet();
        }
      });
    });
    return ticker != null ? config.ticker(ticker) : config;
  }

  /** Moves time on by {@code span}: the fake ticker, or waits for the real clock. */
  void skip(Duration span) {
    if (ticker != null) {
      ticker.advance(span);
      return;
    }
    // A server's clock cannot be moved: wait for it, yielding.
    long until = System.nanoTime() + span.toNanos();
    await("time to pass", () -> System.nanoTime() - until >= 0);
  }

  /** Background tasks given from now on wait until {@link #releaseBackground()}. */
  void holdBackground() {
    gate = new CountDownLatch(1);
  }

  /** Lets the held background tasks run. */
  void releaseBackground() {
    CountDownLatch held = gate;
    gate = null;
    if (held != null) {
      held.countDown();
    }
  }

  /** Waits until every background task given to this harness's executor has finished. */
  void awaitBackgroundDone() {
    await("background reloads to finish", () -> running.get() == 0);
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("Timed out after " + AWAIT + " waiting for " + what);
      }
      Thread.yield();
    }
  }

  /** Waits for background work, then stops the pool. */
  void close() {
    awaitBackgroundDone();
    pool.shutdownNow();
    try {
      assertThat(pool.awaitTermination(AWAIT.toSeconds(), TimeUnit.SECONDS))
          .as("background pool stopped").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
