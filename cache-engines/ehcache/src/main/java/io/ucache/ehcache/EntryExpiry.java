package io.ucache.ehcache;

import java.time.Duration;
import java.util.function.Supplier;
import org.ehcache.expiry.ExpiryPolicy;
import org.jspecify.annotations.Nullable;

/**
 * One Ehcache expiry policy for ttl, expire-after-access and per-entry TTL: an entry lives until
 * the earliest of its deadline ({@link StoredValue#deadline()}: the write TTL or its own TTL) and
 * {@code expire-after-access} after its last read or write. Ehcache keeps the resulting
 * expiration time with the entry on disk, so it holds across restarts.
 *
 * <p>A read from the heap tier extends an idle limit there; the disk copy learns of it when the
 * entry leaves the heap, not at every read, so after a restart an entry may expire by its idle
 * limit sooner than it would have. Thread-safe.
 */
final class EntryExpiry implements ExpiryPolicy<Object, StoredValue> {

  static final long NEVER = Long.MAX_VALUE;

  private final EngineClock clock;
  private final long idleMillis;

  /** With {@code idleMillis} for expire-after-access, or {@link #NEVER}. */
  EntryExpiry(EngineClock clock, long idleMillis) {
    this.clock = clock;
    this.idleMillis = idleMillis;
  }

  @Override
  public Duration getExpiryForCreation(Object key, StoredValue value) {
    return lifetime(value);
  }

  @Override
  public @Nullable Duration getExpiryForAccess(Object key,
      Supplier<? extends StoredValue> value) {
    // null: keep the expiration time as it is, which is all a TTL without idle limit needs.
    return idleMillis == NEVER ? null : lifetime(value.get());
  }

  @Override
  public Duration getExpiryForUpdate(Object key, Supplier<? extends StoredValue> oldValue,
      StoredValue newValue) {
    return lifetime(newValue);
  }

  private Duration lifetime(StoredValue value) {
    long untilDeadline = value.deadline() == StoredValue.NO_DEADLINE
        ? NEVER : value.deadline() - clock.getTimeMillis();
    long millis = Math.min(untilDeadline, idleMillis);
    if (millis == NEVER) {
      return ExpiryPolicy.INFINITE;
    }
    return millis <= 0 ? Duration.ZERO : Duration.ofMillis(millis);
  }
}
