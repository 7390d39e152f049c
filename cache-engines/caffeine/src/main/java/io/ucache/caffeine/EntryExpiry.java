package io.ucache.caffeine;

import com.github.benmanes.caffeine.cache.Expiry;

/**
 * One expiry policy for ttl, expire-after-access and per-entry TTL, since Caffeine's variable
 * expiry (needed for per-entry TTL) excludes its fixed ones. An entry lives until the earliest of
 * its write deadline ({@link Stored.Deadline}, else {@code ttl} after its last write) and
 * {@code expire-after-access} after its last read or write.
 */
final class EntryExpiry implements Expiry<Object, Object> {
  static final long NEVER = Long.MAX_VALUE;

  private final long ttlNanos;
  private final long accessNanos;

  EntryExpiry(long ttlNanos, long accessNanos) {
    this.ttlNanos = ttlNanos;
    this.accessNanos = accessNanos;
  }

  @Override
  public long expireAfterCreate(Object key, Object value, long currentTime) {
    long untilDeadline = value instanceof Stored.Deadline d ? d.remaining(currentTime) : ttlNanos;
    return Math.min(untilDeadline, accessNanos);
  }

  @Override
  public long expireAfterUpdate(Object key, Object value, long currentTime, long currentDuration) {
    return expireAfterCreate(key, value, currentTime);
  }

  @Override
  public long expireAfterRead(Object key, Object value, long currentTime, long currentDuration) {
    if (accessNanos == NEVER) {
      return currentDuration;
    }
    // With a write ttl as well, values carry their deadline (see CaffeineCache#store), so a
    // plain value here has no write limit.
    long untilDeadline = value instanceof Stored.Deadline d ? d.remaining(currentTime) : NEVER;
    return Math.min(untilDeadline, accessNanos);
  }
}
