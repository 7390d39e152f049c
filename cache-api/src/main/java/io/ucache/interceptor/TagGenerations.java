package io.ucache.interceptor;

import io.ucache.Cache;
import io.ucache.CacheEngine;
import io.ucache.CachedValue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The generations of entry tags, kept in the engine's {@link CacheEngine#TAGS_CACHE} cache, so
 * every process sharing the engine reads the same ones: a tagged entry's key carries the
 * combined generation of its tags, and invalidating a tag gives it a new random generation
 * ({@link CacheEngine#invalidateTag}), after which those keys are no longer read. A generation
 * that is missing (never set, or lost: evicted, expired, a server restarted empty) is set to a
 * new random value, never back to an old one, so losing generations costs misses, never stale
 * reads. Thread-safe.
 */
final class TagGenerations {

  private TagGenerations() {}

  /**
   * The combined generation of {@code tags} on {@code engine}: one bulk read of their
   * generations, and a set-if-absent for each one missing.
   *
   * @throws io.ucache.CacheException if the engine fails
   */
  static long of(CacheEngine engine, List<String> tags) {
    Cache<String, Long> generations = engine.cache(CacheEngine.TAGS_CACHE, String.class,
        Long.class);
    Map<String, Long> found = generations.getAll(tags);
    long combined = 0x9E3779B97F4A7C15L;
    for (String tag : tags) {
      Long generation = found.get(tag);
      if (generation == null) {
        long fresh = ThreadLocalRandom.current().nextLong();
        CachedValue<Long> raced = generations.putIfAbsent(tag, fresh);
        generation = raced != null && raced.value() != null ? raced.value() : fresh;
      }
      combined = mix(combined ^ generation);
    }
    return combined;
  }

  /** A 64-bit finalizer (MurmurHash3's): each generation changes every bit of the result. */
  private static long mix(long value) {
    long z = value;
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
