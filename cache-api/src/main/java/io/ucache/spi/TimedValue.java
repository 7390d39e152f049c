package io.ucache.spi;

import org.jspecify.annotations.Nullable;

/**
 * A decoded value with the two times refresh-ahead and stale windows need: when it was written,
 * and when its engine drops it. An engine's {@code decode} returns one, made by
 * {@link AbstractCache#timed}, for an entry that carries its write time, which it stores whenever
 * {@link AbstractCache#keepsTimes()}; an engine that keeps decoded objects (an in-memory one) may
 * store this very object and return it from {@code decode}. Both times are in the cache's clock,
 * {@link AbstractCache#clockMillis()}.
 *
 * <p>Immutable and thread-safe. Equality is identity, as conditional writes compare what was
 * read.
 */
public final class TimedValue {

  /** The value, or the template's marker for a cached null. */
  final Object value;
  final long writeTime;
  final long deadline;

  TimedValue(Object value, long writeTime, long deadline) {
    this.value = value;
    this.writeTime = writeTime;
    this.deadline = deadline;
  }

  /** When the value was written, in the cache's clock (epoch milliseconds). */
  public long writeTime() {
    return writeTime;
  }

  /**
   * When the engine drops the entry, in the cache's clock: its ttl and stale windows after
   * {@link #writeTime()}; {@link StoredValueFormat#NO_TIME} if never.
   */
  public long deadline() {
    return deadline;
  }

  /** The value, or {@code null} for a cached null. */
  public @Nullable Object value() {
    return value == AbstractCache.NULL_VALUE ? null : value;
  }

  @Override
  public String toString() {
    return "TimedValue[written " + writeTime
        + (deadline == StoredValueFormat.NO_TIME ? "" : ", deadline " + deadline) + "]";
  }
}
