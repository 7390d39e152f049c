package io.ucache.spi;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.Ticker;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The refresh-ahead and stale-window settings of one cache ({@code refresh-after},
 * {@code stale-while-revalidate}, {@code stale-if-error}), checked, and what they make of an
 * entry of a given age. An entry with stale windows is kept by its engine for its ttl plus the
 * longer window, and is fresh until its deadline less that window: so a reader computes the
 * entry's state from the two times the entry carries and its own settings (processes sharing a
 * cache should agree on them). Also the cache's default clock, in milliseconds, that those times
 * are read in. Immutable and thread-safe.
 */
final class Freshness {

  /** What a read of an entry with times finds, in the order an entry ages. */
  enum State {
    /** Younger than {@code refresh-after}: a plain hit. */
    FRESH,
    /** Past {@code refresh-after}, within its ttl: a hit, and one reload in the background. */
    REFRESH,
    /** Past its ttl, within {@code stale-while-revalidate}: served while one reload runs. */
    REVALIDATE,
    /** Past its ttl, within {@code stale-if-error}: reloaded now, served if that fails. */
    IF_ERROR,
    /** Past every window: absent. */
    EXPIRED
  }

  private final long refreshAfterMillis;
  private final long revalidateMillis;
  private final long ifErrorMillis;
  /** How much longer than its ttl an engine keeps an entry: the longer stale window. */
  private final long windowMillis;
  /** The injected ticker, or null for the wall clock. */
  private final @Nullable Ticker ticker;
  private final long originMillis;
  private final long originNanos;

  private Freshness(long refreshAfterMillis, long revalidateMillis, long ifErrorMillis,
      Ticker ticker) {
    this.refreshAfterMillis = refreshAfterMillis;
    this.revalidateMillis = revalidateMillis;
    this.ifErrorMillis = ifErrorMillis;
    this.windowMillis = Math.max(revalidateMillis, ifErrorMillis);
    this.ticker = ticker == Ticker.system() ? null : ticker;
    this.originMillis = System.currentTimeMillis();
    this.originNanos = ticker.read();
  }

  /**
   * The settings of cache {@code name}.
   *
   * @throws CacheConfigException if a setting would do nothing or contradicts {@code ttl}
   */
  static Freshness of(String name, CacheConfig config) {
    Duration ttl = config.ttl().orElse(null);
    Duration refreshAfter = config.refreshAfter().orElse(null);
    for (String window : new String[] {"stale-while-revalidate", "stale-if-error"}) {
      boolean set = window.equals("stale-if-error") ? config.staleIfError().isPresent()
          : config.staleWhileRevalidate().isPresent();
      if (set && ttl == null) {
        throw new CacheConfigException(window, "Cache '" + name + "': " + window + " serves "
            + "entries past their ttl, which is not set; set ttl too, or remove " + window);
      }
      if (set && config.expireAfterAccess().isPresent()) {
        throw new CacheConfigException(window, "Cache '" + name + "': " + window + " counts "
            + "from an entry's ttl, and expire-after-access may drop it sooner; remove one of "
            + "the two");
      }
    }
    if (refreshAfter != null && ttl != null && refreshAfter.compareTo(ttl) >= 0) {
      throw new CacheConfigException("refresh-after", "Cache '" + name + "': refresh-after ("
          + refreshAfter + ") must be shorter than ttl (" + ttl + "), or entries expire before "
          + "they are refreshed; to serve expired entries while they reload, set "
          + "stale-while-revalidate");
    }
    return new Freshness(millis(refreshAfter), millis(config.staleWhileRevalidate().orElse(null)),
        millis(config.staleIfError().orElse(null)), config.ticker());
  }

  /** Whether entries must carry their times: refresh-after or a stale window is set. */
  boolean keepsTimes() {
    return refreshAfterMillis > 0 || windowMillis > 0;
  }

  /** Whether caches of {@code config} keep entries' times (and so read {@link #clockMillis}). */
  static boolean keepsTimes(CacheConfig config) {
    return config.refreshAfter().isPresent() || config.staleWhileRevalidate().isPresent()
        || config.staleIfError().isPresent();
  }

  /** How long an engine keeps entries whose lifetime is {@code ttl}: ttl plus the windows. */
  Optional<Duration> storeTtl(Optional<Duration> ttl) {
    return ttl.map(this::storeTtl);
  }

  /** {@code ttl} plus the longer stale window. */
  Duration storeTtl(Duration ttl) {
    return windowMillis == 0 ? ttl : ttl.plusMillis(windowMillis);
  }

  /** The state of {@code entry} at {@code now}, in the clock its times are in. */
  State state(TimedValue entry, long now) {
    if (entry.deadline != StoredValueFormat.NO_TIME) {
      if (now >= entry.deadline) {
        return State.EXPIRED;
      }
      long freshUntil = entry.deadline - windowMillis;
      if (now >= freshUntil) {
        return now < freshUntil + revalidateMillis ? State.REVALIDATE
            : now < freshUntil + ifErrorMillis ? State.IF_ERROR : State.EXPIRED;
      }
    }
    return refreshAfterMillis > 0 && now - entry.writeTime >= refreshAfterMillis
        ? State.REFRESH : State.FRESH;
  }

  /**
   * Milliseconds since the epoch: the wall clock as {@link NearClock} reads it every 10 ms (the
   * engine leases it for such caches), so a hit reads a volatile field rather than the system
   * clock, which cost a hit of the caffeine engine a third more and doubled its p99; or, with an
   * injected ticker, a clock that starts at the wall-clock time this cache was created and moves
   * with the ticker.
   */
  long clockMillis() {
    Ticker injected = ticker;
    return injected == null ? NearClock.wallMillis()
        : originMillis + Math.floorDiv(injected.read() - originNanos, 1_000_000L);
  }

  /**
   * The time a write is stamped with, in {@link #clockMillis()}'s clock but read exactly (the
   * system clock itself, not the copy {@link NearClock} keeps): a reader's clock may lag, never
   * lead, so an entry never looks older than it is and is never refreshed or expired early,
   * even when the clock's thread was held up (a long pause) just before the write.
   */
  long writeClockMillis() {
    return ticker == null ? System.currentTimeMillis() : clockMillis();
  }

  private static long millis(@Nullable Duration duration) {
    if (duration == null) {
      return 0;
    }
    try {
      return Math.max(1, duration.toMillis());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }
}
