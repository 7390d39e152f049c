package io.ucache.spi;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs a message at WARNING at most once a minute, and the others at DEBUG: a stream of bad
 * entries or failures tells the operator once without flooding the log. For the cache template
 * and for integrations that swallow engine failures. Thread-safe. <b>Nulls:</b> none accepted.
 */
public final class RateLimitedLog {

  private static final long PERIOD_NANOS = 60_000_000_000L;

  private final System.Logger logger;
  private final AtomicLong nextWarning = new AtomicLong(System.nanoTime());

  /** Logs to {@code logger}. */
  public RateLimitedLog(System.Logger logger) {
    this.logger = logger;
  }

  /** Logs {@code message} about {@code subject} (a cache's name) as the rate allows. */
  public void warn(String subject, String message) {
    long now = System.nanoTime();
    long next = nextWarning.get();
    if (now - next >= 0 && nextWarning.compareAndSet(next, now + PERIOD_NANOS)) {
      logger.log(System.Logger.Level.WARNING, message + " [further ones for '" + subject
          + "' within a minute are logged at DEBUG]");
    } else {
      logger.log(System.Logger.Level.DEBUG, message);
    }
  }
}
