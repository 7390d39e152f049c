package io.ucache.spi;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * How long each write of one cache lives when the caller gives no ttl of its own:
 * {@code null-ttl} for a cached null, else {@code ttl} shortened at random by up to
 * {@code ttl-jitter} of it (so that entries written together, after a deploy or a bulk load, do
 * not all expire, and reload, in the same instant). Only ever shortens: {@code ttl} stays the
 * longest an entry lives, so an engine whose store expires at {@code ttl} needs nothing more.
 * Immutable and thread-safe.
 */
final class EntryLifetimes {

  private final long ttlNanos;
  private final double jitter;
  private final @Nullable Duration nullTtl;

  private EntryLifetimes(long ttlNanos, double jitter, @Nullable Duration nullTtl) {
    this.ttlNanos = ttlNanos;
    this.jitter = jitter;
    this.nullTtl = nullTtl;
  }

  /**
   * The lifetimes of cache {@code name} configured by {@code config}.
   *
   * @throws CacheConfigException if {@code ttl-jitter} or {@code null-ttl} is set where it would
   *     do nothing, or {@code null-ttl} would outlive {@code ttl}
   */
  static EntryLifetimes of(String name, CacheConfig config) {
    Duration ttl = config.ttl().orElse(null);
    double jitter = config.ttlJitter();
    Duration nullTtl = config.nullTtl().orElse(null);
    if (jitter > 0 && ttl == null) {
      throw new CacheConfigException("ttl-jitter", "Cache '" + name + "': ttl-jitter=" + jitter
          + " shortens ttl, which is not set; set ttl too, or remove ttl-jitter");
    }
    if (nullTtl != null && !config.nullValues()) {
      throw new CacheConfigException("null-ttl", "Cache '" + name + "': null-ttl is the lifetime "
          + "of cached nulls, and null-values is false, so none are cached; set "
          + "null-values=true, or remove null-ttl");
    }
    if (nullTtl != null && ttl != null && nullTtl.compareTo(ttl) > 0) {
      throw new CacheConfigException("null-ttl", "Cache '" + name + "': null-ttl (" + nullTtl
          + ") is longer than ttl (" + ttl + "); cached nulls may live at most as long as values");
    }
    return new EntryLifetimes(ttl == null ? 0 : ttl.toNanos(), jitter, nullTtl);
  }

  /**
   * The ttl to write {@code value} with (a decoded value, or {@code null} for a cached null),
   * or {@code null} for the cache's own ttl.
   */
  @Nullable Duration of(@Nullable Object value) {
    if (value == null && nullTtl != null) {
      return nullTtl;
    }
    if (jitter == 0) {
      return null;
    }
    long cut = (long) (ttlNanos * jitter * ThreadLocalRandom.current().nextDouble());
    return Duration.ofNanos(ttlNanos - cut);
  }
}
