package io.ucache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Issue 7, benchmark 2: throughput of the Caffeine engine against raw Caffeine with the same
 * settings, on Zipf-distributed keys, in the shape of Caffeine's own {@code GetPutBenchmark}: a
 * cache twice the size of its key space, filled up front; a read-only group of two readers, and
 * a group of one reader and one writer. A group's score is the sum of its threads' operations.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CaffeineThroughputBenchmark {

  private static final int SIZE = 2 << 14;
  private static final int MASK = SIZE - 1;
  private static final int ITEMS = SIZE / 3;

  /** The two caches, each filled with every key of the trace. */
  @State(Scope.Group)
  public static class Caches {
    CacheEngine engine;
    Cache<Integer, Boolean> ucache;
    com.github.benmanes.caffeine.cache.Cache<Integer, Boolean> raw;
    Integer[] keys;

    @Setup(Level.Trial)
    public void setUp() {
      engine = EngineManager.getDefault().create(CacheConfig.builder().engine("caffeine")
          .maxSize(2L * SIZE).stats(true).build());
      ucache = engine.cache("throughput", Integer.class, Boolean.class);
      raw = Caffeine.newBuilder().maximumSize(2L * SIZE).recordStats().build();
      int[] drawn = ZipfKeys.draw(ITEMS, SIZE, 0.99, 42);
      keys = new Integer[SIZE];
      for (int i = 0; i < SIZE; i++) {
        keys[i] = drawn[i];
        ucache.put(keys[i], Boolean.TRUE);
        raw.put(keys[i], Boolean.TRUE);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      engine.close();
    }
  }

  /** Each thread walks the trace from its own starting point. */
  @State(Scope.Thread)
  public static class Cursor {
    int index = (int) (Thread.currentThread().getId() * 0x61C88647L);

    Integer next(Integer[] keys) {
      return keys[index++ & MASK];
    }
  }

  @Benchmark
  @Group("ucache_readOnly")
  @GroupThreads(2)
  public Boolean ucache_readOnly_get(Caches caches, Cursor cursor) {
    return caches.ucache.get(cursor.next(caches.keys));
  }

  @Benchmark
  @Group("raw_readOnly")
  @GroupThreads(2)
  public Boolean raw_readOnly_get(Caches caches, Cursor cursor) {
    return caches.raw.getIfPresent(cursor.next(caches.keys));
  }

  @Benchmark
  @Group("ucache_readWrite")
  @GroupThreads(1)
  public Boolean ucache_readWrite_get(Caches caches, Cursor cursor) {
    return caches.ucache.get(cursor.next(caches.keys));
  }

  @Benchmark
  @Group("ucache_readWrite")
  @GroupThreads(1)
  public void ucache_readWrite_put(Caches caches, Cursor cursor) {
    caches.ucache.put(cursor.next(caches.keys), Boolean.TRUE);
  }

  @Benchmark
  @Group("raw_readWrite")
  @GroupThreads(1)
  public Boolean raw_readWrite_get(Caches caches, Cursor cursor) {
    return caches.raw.getIfPresent(cursor.next(caches.keys));
  }

  @Benchmark
  @Group("raw_readWrite")
  @GroupThreads(1)
  public void raw_readWrite_put(Caches caches, Cursor cursor) {
    caches.raw.put(cursor.next(caches.keys), Boolean.TRUE);
  }
}
