package io.ucache.benchmarks;

import io.ucache.ehcache.EhcacheSettings;
import io.ucache.redis.RedisSettings;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.annotation.UCache;
import io.ucache.context.EngineManager;
import io.ucache.sqlite.SqliteSettings;
import io.ucache.interceptor.UCacheInterceptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The measurements of issue 7 that are counts, not times, computed by plain simulations: the hit
 * ratio of the Caffeine engine, raw Caffeine and a plain LRU on one deterministic trace
 * (benchmark 4), and how many times a loader runs for one hot expired key under
 * {@value #CALLERS} concurrent callers (benchmark 7). Not thread-safe; run once by the suite.
 */
final class Counts {

  static final int CALLERS = 16;
  static final int CACHE_SIZE = 2_000;
  private static final int ZIPF_ITEMS = 50_000;
  private static final int SCAN_EVERY = 100_000;
  private static final int SCAN_LENGTH = 20_000;
  /** How long a load takes: long enough for every caller to arrive while it runs. */
  private static final long LOAD_MILLIS = 50;

  /**
   * One count: its name, its value, the half-width of its 95% confidence interval (0 for an
   * exact count), and what it was computed from.
   */
  record Count(String name, double value, double error, String detail) {

    Count(String name, double value, String detail) {
      this(name, value, 0, detail);
    }
  }

  private Counts() {}

  /** Every count, in the order the report shows them. */
  static List<Count> all(boolean quick) {
    List<Count> counts = new ArrayList<>(hitRatios(quick ? 400_000 : 1_000_000, quick ? 5 : 20));
    counts.addAll(sqliteHitRatio(quick ? 50_000 : 200_000));
    counts.addAll(singleFlight(quick ? 3 : 10));
    counts.addAll(RetainedHeap.perEntry(quick ? 100_000 : 1_000_000));
    counts.addAll(InterleavedPairs.ratios(quick));
    return counts;
  }

  /**
   * The sqlite engine's hit ratio on the first {@code requests} requests of the trace, with
   * {@code max-size} {@value #CACHE_SIZE}, and a plain LRU's on the same requests: the engine
   * evicts the least recently used by a stamp that hits set in batches, so it should come close
   * to the LRU. One replay (the engine is deterministic but for the batching): a disk cache
   * replays about 20,000 requests a second.
   */
  static List<Count> sqliteHitRatio(int requests) {
    int[] trace = trace(requests);
    String detail = requests + " requests, cache of " + CACHE_SIZE + " entries, one replay";
    Path dir = TempFolder.create("ucache-counts-sqlite");
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("sqlite").set(SqliteSettings.BASE_DIR, dir).maxSize(CACHE_SIZE).stats(true)
        .build())) {
      Cache<Integer, Integer> cache = engine.cache("trace", Integer.class, Integer.class);
      double engineRatio = replay(trace, cache::get, cache::put);
      Map<Integer, Integer> lru = lru();
      return List.of(new Count("hitRatio.sqlite", engineRatio, detail),
          new Count("hitRatio.sqlite.lru", replay(trace, lru::get, lru::put), detail));
    } finally {
      TempFolder.delete(dir);
    }
  }

  /**
   * The trace: Zipf-distributed requests (exponent 0.9 over {@value #ZIPF_ITEMS} keys) with a
   * scan of {@value #SCAN_LENGTH} keys never seen before every {@value #SCAN_EVERY} requests,
   * the pattern that flushes an LRU and that Caffeine's W-TinyLFU admission resists.
   */
  static int[] trace(int requests) {
    int[] zipf = ZipfKeys.draw(ZIPF_ITEMS, requests, 0.9, 7);
    int[] trace = new int[requests];
    int scanKey = Integer.MIN_VALUE;
    for (int i = 0; i < requests; i++) {
      boolean scanning = i % SCAN_EVERY >= SCAN_EVERY - SCAN_LENGTH;
      // Zipf keys are scrambled ranks; scan keys count up from the bottom of int, far from them.
      trace[i] = scanning ? scanKey++ : zipf[i];
    }
    return trace;
  }

  /**
   * Hit ratios on the trace, each the mean of {@code repetitions} replays on a fresh cache:
   * Caffeine's admission has a random element (against hash flooding) and its eviction runs
   * asynchronously, so one replay differs from the next by a fraction of a percent. How fast the
   * replaying thread runs changes how far eviction lags behind it, so both sides are warmed up
   * first (a cold, interpreted replay gets another ratio) and take turns going first.
   */
  static List<Count> hitRatios(int requests, int repetitions) {
    int[] trace = trace(requests);
    String detail = requests + " requests, cache of " + CACHE_SIZE + " entries, mean of "
        + repetitions + " replays after 2 warm-up replays, the two sides alternating";
    List<Count> counts = new ArrayList<>();
    for (int warmUp = 0; warmUp < 2; warmUp++) {
      replayEngine(trace);
      replayRaw(trace);
    }
    double ucacheSum = 0;
    double caffeineSum = 0;
    for (int r = 0; r < repetitions; r++) {
      if (r % 2 == 0) {
        ucacheSum += replayEngine(trace);
        caffeineSum += replayRaw(trace);
      } else {
        caffeineSum += replayRaw(trace);
        ucacheSum += replayEngine(trace);
      }
    }
    counts.add(new Count("hitRatio.ucache", ucacheSum / repetitions, detail));
    counts.add(new Count("hitRatio.caffeine", caffeineSum / repetitions, detail));
    Map<Integer, Integer> lru = lru();
    counts.add(new Count("hitRatio.lru", replay(trace, lru::get, lru::put),
        requests + " requests, cache of " + CACHE_SIZE + " entries (deterministic)"));
    return counts;
  }

  /** A plain LRU map of {@value #CACHE_SIZE} entries. */
  private static Map<Integer, Integer> lru() {
    return new LinkedHashMap<>(CACHE_SIZE * 2, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, Integer> eldest) {
        return size() > CACHE_SIZE;
      }
    };
  }

  private static double replayEngine(int[] trace) {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("caffeine").maxSize(CACHE_SIZE).stats(true).build())) {
      Cache<Integer, Integer> ucache = engine.cache("trace", Integer.class, Integer.class);
      return replay(trace, ucache::get, ucache::put);
    }
  }

  private static double replayRaw(int[] trace) {
    com.github.benmanes.caffeine.cache.Cache<Integer, Integer> raw =
        Caffeine.newBuilder().maximumSize(CACHE_SIZE).recordStats().build();
    return replay(trace, raw::getIfPresent, raw::put);
  }

  private interface Getter {
    Integer get(Integer key);
  }

  private interface Putter {
    void put(Integer key, Integer value);
  }

  private static double replay(int[] trace, Getter get, Putter put) {
    long hits = 0;
    for (int key : trace) {
      Integer boxed = key;
      if (get.get(boxed) != null) {
        hits++;
      } else {
        put.put(boxed, boxed);
      }
    }
    return (double) hits / trace.length;
  }

  /** A method cached with {@code @UCache}, for the single-flight count through a proxy. */
  public interface HotValue {
    @UCache(name = "hot", ttl = "1s")
    String value(String key);
  }

  static List<Count> singleFlight(int rounds) {
    List<Count> counts = new ArrayList<>();
    AtomicLong time = new AtomicLong();
    Path dir = TempFolder.create("ucache-bench-flight");
    try (LocalRedis redis = LocalRedis.start()) {
      counts.add(singleFlight("caffeine", CacheConfig.builder().engine("caffeine")
          .ttl(Duration.ofSeconds(1)).ticker(time::get).build(), rounds, time));
      counts.add(singleFlight("ehcache", CacheConfig.builder().engine("ehcache").set(EhcacheSettings.BASE_DIR, dir)
          .set(EhcacheSettings.FOLDER, "flight").ttl(Duration.ofSeconds(1)).ticker(time::get).build(), rounds, time));
      counts.add(singleFlight("redis", CacheConfig.builder().engine("redis")
          .set(RedisSettings.URL, redis.url()).ttl(Duration.ofMillis(50)).build(), rounds, null));
      counts.add(singleFlightAnnotated(rounds, time));
    } finally {
      TempFolder.delete(dir);
    }
    return counts;
  }

  /** Loader calls per round through {@code Cache.get(key, loader)} on one engine; the worst. */
  private static Count singleFlight(String engineName, CacheConfig config, int rounds,
      @Nullable AtomicLong time) {
    try (CacheEngine engine = EngineManager.getDefault().create(config)) {
      Cache<String, String> cache = engine.cache("hot", String.class, String.class);
      AtomicInteger calls = new AtomicInteger();
      int worst = rounds(rounds, () -> {
        cache.put("hot", "stale");
        expire(time, () -> cache.get("hot") == null);
        calls.set(0);
        return () -> {
          cache.get("hot", key -> slowLoad(calls));
          return calls;
        };
      });
      return new Count("singleFlight." + engineName, worst, CALLERS + " callers, worst of "
          + rounds + " rounds, Cache.get(key, loader)");
    }
  }

  private static Count singleFlightAnnotated(int rounds, AtomicLong time) {
    AtomicInteger calls = new AtomicInteger();
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("caffeine").ticker(time::get).build());
        UCacheInterceptor interceptor = UCacheInterceptor.using(engine)) {
      HotValue hot = interceptor.proxy(HotValue.class, key -> slowLoad(calls));
      int worst = rounds(rounds, () -> {
        hot.value("hot");
        time.addAndGet(TimeUnit.SECONDS.toNanos(2));
        calls.set(0);
        return () -> {
          hot.value("hot");
          return calls;
        };
      });
      return new Count("singleFlight.annotation", worst, CALLERS + " callers, worst of " + rounds
          + " rounds, @UCache(sync = true) on the caffeine engine");
    }
  }

  /**
   * Runs {@code rounds} rounds: each prepares (expires the key) and returns the call that
   * {@value #CALLERS} threads then make at once; returns the most loader calls of a round.
   */
  private static int rounds(int rounds, Supplier<Supplier<AtomicInteger>> prepare) {
    ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
    try {
      int worst = 0;
      for (int r = 0; r < rounds; r++) {
        Supplier<AtomicInteger> call = prepare.get();
        CyclicBarrier start = new CyclicBarrier(CALLERS);
        List<Future<AtomicInteger>> done = new ArrayList<>();
        for (int t = 0; t < CALLERS; t++) {
          done.add(pool.submit(() -> {
            start.await();
            return call.get();
          }));
        }
        int calls = 0;
        for (Future<AtomicInteger> f : done) {
          calls = f.get(1, TimeUnit.MINUTES).get();
        }
        worst = Math.max(worst, calls);
      }
      return worst;
    } catch (Exception e) {
      throw new IllegalStateException("The single-flight simulation failed", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Moves the fake clock past the TTL, or for Redis waits until the server expired the key. */
  private static void expire(@Nullable AtomicLong time,
      BooleanSupplier gone) {
    if (time != null) {
      time.addAndGet(TimeUnit.SECONDS.toNanos(2));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!gone.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("The hot key did not expire");
      }
      Thread.onSpinWait();
    }
  }

  private static String slowLoad(AtomicInteger calls) {
    calls.incrementAndGet();
    try {
      Thread.sleep(LOAD_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "fresh";
  }
}
