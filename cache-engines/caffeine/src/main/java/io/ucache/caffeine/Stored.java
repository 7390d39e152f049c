package io.ucache.caffeine;

/**
 * What the Caffeine engine stores besides plain values: a marker for a cached {@code null}, and
 * a value with its own expiry deadline (per-entry TTL, or a write TTL that must hold while
 * expire-after-access keeps extending the entry). A hit unwraps these with two type checks and
 * no allocation.
 */
final class Stored {
  private Stored() {}

  /** A cached {@code null}; never equal to a user value. */
  enum NullValue {
    INSTANCE
  }

  /**
   * A value that must be gone at {@code deadline} (in ticker nanoseconds) whatever reads happen.
   * Identity equality on purpose: conditional map operations compare what was read.
   */
  static final class Deadline {
    /** Longer lifetimes than this mean "no write limit" (about 146 years). */
    private static final long UNBOUNDED = Long.MAX_VALUE / 2;

    final Object value;
    private final long deadline;
    private final boolean bounded;

    private Deadline(Object value, long deadline, boolean bounded) {
      this.value = value;
      this.deadline = deadline;
      this.bounded = bounded;
    }

    /** {@code value}, to be gone {@code ttlNanos} after {@code now}. */
    static Deadline after(Object value, long now, long ttlNanos) {
      // now + ttl may wrap past Long.MAX_VALUE; remaining() subtracts now again, which is exact
      // in two's complement, so the wrap does no harm.
      return new Deadline(value, now + ttlNanos, ttlNanos < UNBOUNDED);
    }

    /** Nanoseconds left at {@code now}: 0 once passed, {@link Long#MAX_VALUE} if unbounded. */
    long remaining(long now) {
      return bounded ? Math.max(0, deadline - now) : Long.MAX_VALUE;
    }
  }
}
