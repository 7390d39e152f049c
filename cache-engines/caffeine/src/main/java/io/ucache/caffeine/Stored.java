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
    final Object value;
    final long deadline;

    Deadline(Object value, long deadline) {
      this.value = value;
      this.deadline = deadline;
    }
  }

  /** {@code a + b}, capped at {@link Long#MAX_VALUE}, for {@code now + ttl}. */
  static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
