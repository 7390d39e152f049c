package io.ucache.jcache;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * A cache's JSR-107 statistics, counted while statistics are enabled; evictions are the engine's
 * (entries it dropped for size). Times are averages in microseconds. Thread-safe.
 */
final class JCacheStatistics implements CacheStatisticsMXBean {

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder removals = new LongAdder();
  private final LongAdder getNanos = new LongAdder();
  private final LongAdder putNanos = new LongAdder();
  private final LongAdder removeNanos = new LongAdder();
  private final LongSupplier engineEvictions;
  private volatile long evictionsAtClear;
  private volatile boolean enabled;

  JCacheStatistics(LongSupplier engineEvictions) {
    this.engineEvictions = engineEvictions;
  }

  boolean isEnabled() {
    return enabled;
  }

  void enable(boolean enabled) {
    this.enabled = enabled;
  }

  /** A start time for {@link #gotten}, {@link #put}, {@link #removed}; 0 when disabled. */
  long start() {
    return enabled ? System.nanoTime() : 0;
  }

  void hits(long count) {
    if (enabled) {
      hits.add(count);
    }
  }

  void misses(long count) {
    if (enabled) {
      misses.add(count);
    }
  }

  void puts(long count) {
    if (enabled) {
      puts.add(count);
    }
  }

  void removals(long count) {
    if (enabled) {
      removals.add(count);
    }
  }

  void gotten(long start) {
    if (enabled && start != 0) {
      getNanos.add(System.nanoTime() - start);
    }
  }

  void put(long start) {
    if (enabled && start != 0) {
      putNanos.add(System.nanoTime() - start);
    }
  }

  void removed(long start) {
    if (enabled && start != 0) {
      removeNanos.add(System.nanoTime() - start);
    }
  }

  @Override
  public void clear() {
    hits.reset();
    misses.reset();
    puts.reset();
    removals.reset();
    getNanos.reset();
    putNanos.reset();
    removeNanos.reset();
    evictionsAtClear = engineEvictions.getAsLong();
  }

  @Override
  public long getCacheHits() {
    return hits.sum();
  }

  @Override
  public float getCacheHitPercentage() {
    long gets = getCacheGets();
    return gets == 0 ? 0 : 100f * getCacheHits() / gets;
  }

  @Override
  public long getCacheMisses() {
    return misses.sum();
  }

  @Override
  public float getCacheMissPercentage() {
    long gets = getCacheGets();
    return gets == 0 ? 0 : 100f * getCacheMisses() / gets;
  }

  @Override
  public long getCacheGets() {
    return getCacheHits() + getCacheMisses();
  }

  @Override
  public long getCachePuts() {
    return puts.sum();
  }

  @Override
  public long getCacheRemovals() {
    return removals.sum();
  }

  @Override
  public long getCacheEvictions() {
    return Math.max(0, engineEvictions.getAsLong() - evictionsAtClear);
  }

  @Override
  public float getAverageGetTime() {
    return averageMicros(getNanos.sum(), getCacheGets());
  }

  @Override
  public float getAveragePutTime() {
    return averageMicros(putNanos.sum(), getCachePuts());
  }

  @Override
  public float getAverageRemoveTime() {
    return averageMicros(removeNanos.sum(), getCacheRemovals());
  }

  private static float averageMicros(long nanos, long count) {
    return count == 0 ? 0 : nanos / 1000f / count;
  }
}
