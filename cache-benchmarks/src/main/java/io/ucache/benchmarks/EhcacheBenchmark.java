package io.ucache.benchmarks;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.ehcache.EhcacheSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.ehcache.PersistentCacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.PooledExecutionServiceConfigurationBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.EntryUnit;
import org.ehcache.config.units.MemoryUnit;
import org.ehcache.impl.config.store.disk.OffHeapDiskStoreConfiguration;
import org.ehcache.spi.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Issue 7, benchmark 5: the Ehcache engine against raw Ehcache with the same tiers (a heap tier
 * of {@value #HEAP_ENTRIES} entries in front of a persistent 64 MB disk tier, two disk segments,
 * its own two-thread pool) and the same serialization (keys and values as UTF-8 bytes).
 *
 * <p>Heap hit: {@value #HEAP_KEYS} keys, all in the heap tier. Disk hit: {@value #DISK_KEYS}
 * keys read in turn, ten times what the heap tier holds, so that about nine reads in ten are
 * served from the disk tier (Ehcache copies each one back into the heap tier, evicting another).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EhcacheBenchmark {

  static final int HEAP_ENTRIES = 10_000;
  static final int HEAP_KEYS = 1 << 10;
  static final int DISK_KEYS = 100_000;
  private static final long DISK_BYTES = 64L << 20;
  private static final String POOL = "bench-ehcache";

  /** UTF-8, as the engine's codec for {@code String} keys and values. Thread-safe. */
  static final class Utf8 implements Serializer<String> {

    @Override
    public ByteBuffer serialize(String value) {
      return ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String read(ByteBuffer binary) {
      byte[] bytes = new byte[binary.remaining()];
      binary.get(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(String value, ByteBuffer binary) {
      return value.equals(read(binary));
    }
  }

  /**
   * The engine's cache and a raw Ehcache cache, in temporary folders, each filled with
   * {@code keys} entries: one state per key count, so that a heap benchmark does not wait for
   * the disk benchmarks' entries to be written.
   */
  abstract static class Caches {
    Path dir;
    CacheEngine engine;
    Cache<String, String> ucache;
    PersistentCacheManager manager;
    org.ehcache.Cache<String, String> raw;
    String[] keys;

    void open(int count) {
      dir = TempFolder.create("ucache-bench-ehcache");
      engine = EngineManager.getDefault().create(CacheConfig.builder().engine("ehcache")
          .set(EhcacheSettings.BASE_DIR, dir).set(EhcacheSettings.FOLDER, "ucache").stats(true).build());
      ucache = engine.cache("bench", String.class, String.class);
      manager = CacheManagerBuilder.newCacheManagerBuilder()
          .with(CacheManagerBuilder.persistence(dir.resolve("raw").toFile()))
          .using(PooledExecutionServiceConfigurationBuilder
              .newPooledExecutionServiceConfigurationBuilder()
              .defaultPool(POOL, 2, 2)
              .build())
          .build(true);
      raw = manager.createCache("bench", rawConfiguration());
      keys = new String[count];
      for (int i = 0; i < count; i++) {
        keys[i] = "key-" + i;
        String value = "value-" + i + "-" + "x".repeat(64);
        ucache.put(keys[i], value);
        raw.put(keys[i], value);
      }
    }

    private static org.ehcache.config.CacheConfiguration<String, String> rawConfiguration() {
      return CacheConfigurationBuilder.newCacheConfigurationBuilder(String.class, String.class,
              ResourcePoolsBuilder.newResourcePoolsBuilder()
                  .heap(HEAP_ENTRIES, EntryUnit.ENTRIES)
                  .disk(DISK_BYTES, MemoryUnit.B, true))
          .withKeySerializer(new Utf8())
          .withValueSerializer(new Utf8())
          .withService(new OffHeapDiskStoreConfiguration(POOL, 1, 2))
          .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      try {
        manager.close();
        engine.close();
      } finally {
        TempFolder.delete(dir);
      }
    }
  }

  /** {@value #HEAP_KEYS} entries: every read is a heap-tier hit. */
  @State(Scope.Benchmark)
  public static class HeapCaches extends Caches {
    @Setup(Level.Trial)
    public void setUp() {
      open(HEAP_KEYS);
    }
  }

  /** {@value #DISK_KEYS} entries: most reads come from the disk tier. */
  @State(Scope.Benchmark)
  public static class DiskCaches extends Caches {
    @Setup(Level.Trial)
    public void setUp() {
      open(DISK_KEYS);
    }
  }

  /** Each thread walks the keys in turn. */
  @State(Scope.Thread)
  public static class Cursor {
    int heap;
    int disk;

    String nextHeap(String[] keys) {
      return keys[heap++ & (HEAP_KEYS - 1)];
    }

    String nextDisk(String[] keys) {
      int i = disk;
      disk = i + 1 == keys.length ? 0 : i + 1;
      return keys[i];
    }
  }

  @Benchmark
  public String ucache_heap(HeapCaches caches, Cursor cursor) {
    return caches.ucache.get(cursor.nextHeap(caches.keys));
  }

  @Benchmark
  public String raw_heap(HeapCaches caches, Cursor cursor) {
    return caches.raw.get(cursor.nextHeap(caches.keys));
  }

  @Benchmark
  public String ucache_disk(DiskCaches caches, Cursor cursor) {
    return caches.ucache.get(cursor.nextDisk(caches.keys));
  }

  @Benchmark
  public String raw_disk(DiskCaches caches, Cursor cursor) {
    return caches.raw.get(cursor.nextDisk(caches.keys));
  }
}
