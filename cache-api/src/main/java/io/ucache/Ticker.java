package io.ucache;

/**
 * A source of nanosecond time for expiry. Tests inject a fake one to move time without sleeping;
 * production uses {@link #system()}. Implementations must be thread-safe and monotonic.
 */
@FunctionalInterface
public interface Ticker {
  /** Nanoseconds from an arbitrary fixed origin; only differences are meaningful. */
  long read();

  /** The JVM's monotonic clock, {@link System#nanoTime()}. */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}
