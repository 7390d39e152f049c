package io.ucache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Issue 7, benchmark 1: a hit on the Caffeine engine's {@code Cache.get} against raw Caffeine's
 * {@code getIfPresent}, both built with the same settings (maximum size, statistics on, no
 * expiry: what the engine builds for {@code max-size} with its default {@code stats=true}).
 * Run with {@code -prof gc} for bytes per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CaffeineGetBenchmark {

  static final int SIZE = 1 << 12;
  private static final int MASK = SIZE - 1;

  /** The two caches, each filled with the same keys. */
  @State(Scope.Benchmark)
  public static class Caches {
    CacheEngine engine;
    Cache<Integer, String> ucache;
    com.github.benmanes.caffeine.cache.Cache<Integer, String> raw;
    Integer[] keys;

    /** Whether both caches count hits and misses. */
    boolean stats() {
      return true;
    }

    /** The engine's configuration, for a subclass to add to. */
    CacheConfig.Builder config() {
      return CacheConfig.builder().engine("caffeine").maxSize(2L * SIZE).stats(stats());
    }

    @Setup(Level.Trial)
    public void setUp() {
      engine = EngineManager.getDefault().create(config().build());
      ucache = engine.cache("get", Integer.class, String.class);
      Caffeine<Object, Object> builder = Caffeine.newBuilder().maximumSize(2L * SIZE);
      raw = (stats() ? builder.recordStats() : builder).build();
      keys = new Integer[SIZE];
      for (int i = 0; i < SIZE; i++) {
        keys[i] = ZipfKeys.scramble(i);
        ucache.put(keys[i], "value-" + i);
        raw.put(keys[i], "value-" + i);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      engine.close();
    }
  }

  /**
   * The same two caches without statistics ({@code stats=false}; Caffeine without
   * {@code recordStats()}): what counting costs a hit (issue 20, target 5).
   */
  @State(Scope.Benchmark)
  public static class NoStats extends Caches {
    @Override
    boolean stats() {
      return false;
    }
  }

  /**
   * The same two caches, the engine given an observation registry with a handler listening
   * (issue 19): an in-process hit must start no observation and allocate nothing more. The
   * handler counts what starts; the trial fails if anything did.
   */
  @State(Scope.Benchmark)
  public static class Observed extends Caches {
    final AtomicLong started = new AtomicLong();

    @Override
    CacheConfig.Builder config() {
      ObservationRegistry registry = ObservationRegistry.create();
      registry.observationConfig().observationHandler(new ObservationHandler<>() {
        @Override
        public boolean supportsContext(Observation.Context context) {
          return true;
        }

        @Override
        public void onStart(Observation.Context context) {
          started.incrementAndGet();
        }
      });
      return super.config().observationRegistry(registry);
    }

    @TearDown(Level.Trial)
    public void noObservations() {
      if (started.get() != 0) {
        throw new IllegalStateException(started + " observations started on hits");
      }
    }
  }

  /** Each thread walks the keys from its own starting point. */
  @State(Scope.Thread)
  public static class Cursor {
    int index = (int) (Thread.currentThread().getId() * 0x61C88647L);

    Integer next(Integer[] keys) {
      return keys[index++ & MASK];
    }
  }

  @Benchmark
  @Threads(1)
  public String ucache_t1(Caches caches, Cursor cursor) {
    return caches.ucache.get(cursor.next(caches.keys));
  }

  @Benchmark
  @Threads(1)
  public String raw_t1(Caches caches, Cursor cursor) {
    return caches.raw.getIfPresent(cursor.next(caches.keys));
  }

  @Benchmark
  @Threads(2)
  public String ucache_t2(Caches caches, Cursor cursor) {
    return caches.ucache.get(cursor.next(caches.keys));
  }

  @Benchmark
  @Threads(2)
  public String raw_t2(Caches caches, Cursor cursor) {
    return caches.raw.getIfPresent(cursor.next(caches.keys));
  }

  @Benchmark
  @Threads(1)
  public String ucache_nostats_t1(NoStats caches, Cursor cursor) {
    return caches.ucache.get(cursor.next(caches.keys));
  }

  @Benchmark
  @Threads(1)
  public String raw_nostats_t1(NoStats caches, Cursor cursor) {
    return caches.raw.getIfPresent(cursor.next(caches.keys));
  }

  @Benchmark
  @Threads(1)
  public String ucache_observed_t1(Observed caches, Cursor cursor) {
    return caches.ucache.get(cursor.next(caches.keys));
  }
}
