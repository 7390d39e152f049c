package io.ucache.ehcache;

import io.ucache.Ticker;
import org.ehcache.core.spi.time.TimeSource;
import org.ehcache.core.spi.time.TimeSourceService;
import org.ehcache.spi.service.Service;
import org.ehcache.spi.service.ServiceProvider;

/**
 * The engine's time in milliseconds, for Ehcache's expiry and for entry deadlines: wall-clock
 * time, since deadlines are stored on disk and read back by other processes, and Ehcache keeps
 * expiration times on disk in the same unit. A test's injected {@link Ticker} is adapted: the
 * clock starts at the wall-clock time the engine opened and moves only as the ticker does.
 *
 * <p>It is also the {@link TimeSourceService} the engine hands Ehcache's cache manager (through
 * its public {@code using(Service)}), so Ehcache's expiry reads the same time. Thread-safe.
 */
final class EngineClock implements TimeSource, TimeSourceService {

  private final Ticker ticker;
  private final long originMillis;
  private final long originNanos;

  private EngineClock(Ticker ticker) {
    this.ticker = ticker;
    this.originMillis = System.currentTimeMillis();
    this.originNanos = ticker.read();
  }

  /** Wall-clock time for the system ticker; else time that moves with {@code ticker}. */
  static EngineClock of(Ticker ticker) {
    return new EngineClock(ticker);
  }

  @Override
  public long getTimeMillis() {
    if (ticker == Ticker.system()) {
      return System.currentTimeMillis();
    }
    return originMillis + Math.floorDiv(ticker.read() - originNanos, 1_000_000L);
  }

  @Override
  public TimeSource getTimeSource() {
    return this;
  }

  @Override
  public void start(ServiceProvider<Service> serviceProvider) {
    // Nothing to start: the clock reads the ticker.
  }

  @Override
  public void stop() {
    // Nothing to stop.
  }

  /** {@code now + ttlMillis}; {@link StoredValue#NO_DEADLINE} if that is beyond a long. */
  static long deadline(long now, long ttlMillis) {
    long sum = now + ttlMillis;
    return ((now ^ sum) & (ttlMillis ^ sum)) < 0 ? StoredValue.NO_DEADLINE : sum;
  }

  /** {@code duration} in whole milliseconds, rounded up; {@link Long#MAX_VALUE} if too long. */
  static long millisRoundedUp(java.time.Duration duration) {
    try {
      long millis = duration.toMillis();
      return duration.minusMillis(millis).isZero() ? millis : Math.addExact(millis, 1);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public String toString() {
    return ticker == Ticker.system() ? "EngineClock{wall clock}" : "EngineClock{" + ticker + "}";
  }
}
