package io.ucache.testkit;

import io.ucache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that moves only when told, so expiry is tested without sleeping. Starts at an
 * arbitrary non-zero time. Thread-safe.
 */
public final class FakeTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Override
  public long read() {
    return nanos.get();
  }

  /** Moves time forward by {@code duration}. */
  public FakeTicker advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only moves forward: " + duration);
    }
    nanos.addAndGet(duration.toNanos());
    return this;
  }

  @Override
  public String toString() {
    return "FakeTicker{" + nanos.get() + "ns}";
  }
}
