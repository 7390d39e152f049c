package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.BulkLoader;
import io.ucache.CacheLoader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loader that returns one value once released, counting its calls: it proves a read did not
 * wait for a load (the read returned while the loader was held) and shows when a background
 * load has started. As a bulk loader, it returns the value for every key asked, and records
 * the keys of each call. Thread-safe.
 */
final class HeldLoader implements CacheLoader<String, String>, BulkLoader<String, String> {

  final AtomicInteger calls = new AtomicInteger();
  /** The keys of each bulk call, in the order of the calls. */
  final List<Set<String>> bulkCalls = new CopyOnWriteArrayList<>();
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

  @Override
  public Map<String, String> loadAll(Set<? extends String> keys) throws InterruptedException {
    bulkCalls.add(new TreeSet<>(keys));
    Map<String, String> loaded = new LinkedHashMap<>();
    for (String key : keys) {
      loaded.put(key, value);
    }
    load("(bulk)");
    return loaded;
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
