package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.CacheLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loader that returns one value once released, counting its calls: it proves a read did not
 * wait for a load (the read returned while the loader was held) and shows when a background
 * load has started. Thread-safe.
 */
final class HeldLoader implements CacheLoader<String, String> {

  final AtomicInteger calls = new AtomicInteger();
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private final String value;

  HeldLoader(String value) {
    this.value = value;
  }

  @Override
  public String load(String key) throws InterruptedException {
    calls.incrementAndGet();
    started.countDown();
    if (!released.await(RefreshHarness.AWAIT.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("never released");
    }
    return value;
  }

  /** Waits until a call has started. */
  void awaitStarted() {
    try {
      assertThat(started.await(RefreshHarness.AWAIT.toSeconds(), TimeUnit.SECONDS))
          .as("the reload started in the background").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Lets every call, running or to come, return. */
  void release() {
    released.countDown();
  }
}
