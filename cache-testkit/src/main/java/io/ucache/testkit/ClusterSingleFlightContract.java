package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CacheLoadException;
import io.ucache.CacheLoader;
import io.ucache.SingleFlightScope;
import io.ucache.context.EngineManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code single-flight.scope=cluster} on a shared engine, as a JUnit 5 class an engine's test extends:
 * engines opened twice on one configuration stand for two processes sharing the engine. Misses
 * of one key in both load once, the others waiting for that value; a loader that fails releases
 * the lease at once; a waiter gives up after {@code load-timeout}. Interleavings are forced with
 * a held loader, and a caller is known to wait when its thread is parked. (A holder that dies
 * mid-load needs a process to kill: the engine's own multi-process test covers it.)
 *
 * <p><b>Thread-safety:</b> JUnit makes an instance per test and calls it from one thread.
 */
public abstract class ClusterSingleFlightContract {

  private static final int CALLERS = 8;
  private static final String RUN =
      Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final List<CacheEngine> engines = new CopyOnWriteArrayList<>();
  private final ExecutorService pool = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "caller");
    thread.setDaemon(true);
    return thread;
  });
  private final List<Thread> callers = new CopyOnWriteArrayList<>();

  /** For subclasses. */
  protected ClusterSingleFlightContract() {}

  /** A new builder for the shared engine under test, with a fresh namespace each call. */
  protected abstract CacheConfig.Builder baseConfig();

  /** The manager that starts engines; default {@link EngineManager#getDefault()}. */
  protected EngineManager manager() {
    return EngineManager.getDefault();
  }

  @AfterEach
  final void close() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(30, TimeUnit.SECONDS);
    engines.forEach(CacheEngine::close);
  }

  /** One cache in each of {@code count} engines opened on one configuration. */
  private List<Cache<String, String>> processes(int count, CacheConfig.Builder config) {
    CacheConfig shared = config.singleFlight(SingleFlightScope.CLUSTER).build();
    String name = "flight-" + RUN + "-" + SEQUENCE.incrementAndGet();
    List<Cache<String, String>> caches = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      CacheEngine engine = manager().create(shared);
      engines.add(engine);
      caches.add(engine.cache(name, String.class, String.class));
    }
    return caches;
  }

  private Future<String> call(Cache<String, String> cache, CacheLoader<String, String> loader) {
    return pool.submit(() -> {
      callers.add(Thread.currentThread());
      return cache.get("hot", loader);
    });
  }

  @Test
  void get_missesInTwoProcessesAtOnce_oneLoadAndEveryCallerGetsItsValue() throws Exception {
    List<Cache<String, String>> processes = processes(2, baseConfig());
    HeldLoader held = new HeldLoader("loaded once");
    List<Future<String>> calls = new ArrayList<>();
    for (Cache<String, String> cache : processes) {
      for (int i = 0; i < CALLERS; i++) {
        calls.add(call(cache, held));
      }
    }
    held.awaitStarted();
    awaitAllParked(2 * CALLERS);

    held.release();

    for (Future<String> call : calls) {
      assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("loaded once");
    }
    assertThat(held.calls).as("loads across both processes").hasValue(1);
    assertThat(processes.get(0).get("hot")).isEqualTo("loaded once");
    assertThat(processes.get(1).get("hot")).isEqualTo("loaded once");
  }

  @Test
  void get_loaderFails_theLeaseIsReleasedAtOnceAndTheNextCallerLoads() {
    List<Cache<String, String>> processes = processes(2,
        baseConfig().singleFlightLeaseTime(Duration.ofHours(1)));

    assertThatThrownBy(() -> processes.get(0).get("hot", key -> {
      throw new IllegalStateException("source down");
    })).isInstanceOf(IllegalStateException.class);

    // With the lease still held, this would wait an hour.
    assertThat(processes.get(1).get("hot", key -> "loaded")).isEqualTo("loaded");
  }

  @Test
  void get_anotherProcessLoadsLongerThanLoadTimeout_theWaiterGivesUp() throws Exception {
    List<Cache<String, String>> processes = processes(2,
        baseConfig().loadTimeout(Duration.ofMillis(200)));
    HeldLoader held = new HeldLoader("slow");
    Future<String> holder = call(processes.get(0), held);
    held.awaitStarted();
    AtomicInteger loads = new AtomicInteger();

    assertThatThrownBy(() -> processes.get(1).get("hot", key -> "v" + loads.incrementAndGet()))
        .isInstanceOf(CacheLoadException.class)
        .hasCauseInstanceOf(TimeoutException.class)
        .hasMessageContaining("hot");
    assertThat(loads).as("loads by the waiter").hasValue(0);
    held.release();
    assertThat(holder.get(30, TimeUnit.SECONDS)).isEqualTo("slow");
  }

  /** Waits until {@code count} callers have started and every one is parked. */
  private void awaitAllParked(int count) {
    RefreshHarness.await(count + " callers parked", () -> callers.size() == count
        && callers.stream().allMatch(thread -> thread.getState() == Thread.State.WAITING
            || thread.getState() == Thread.State.TIMED_WAITING));
  }
}
