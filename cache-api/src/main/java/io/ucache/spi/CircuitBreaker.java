package io.ucache.spi;

import io.ucache.CacheConfig;
import io.ucache.EngineUnavailableException;
import io.ucache.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The failure policy of one remote engine: after {@code circuit-breaker.failures} consecutive
 * failures its circuit <em>opens</em> and calls skip the engine for
 * {@code circuit-breaker.cool-down}; then exactly one call, the <em>probe</em>, goes to the engine
 * (the circuit is <em>half-open</em>, every other call still skips): its success closes the
 * circuit, its failure opens it for another cool-down. A probe that never reports (its caller
 * failed for another reason) is replaced by a new one after a cool-down.
 *
 * <p>An engine asks {@link #tryAcquire()} before each remote call and reports the outcome with
 * {@link #onSuccess()} or {@link #onFailure(String)}; a skipped call throws {@link #rejection()}
 * in {@code fail-mode=closed}, or becomes a miss or a dropped write in {@code fail-mode=open},
 * where it is still counted. A failure swallowed in {@code fail-mode=open} is reported like any
 * other: it counts towards opening the circuit.
 *
 * <p><b>Cost.</b> While closed, {@link #tryAcquire()} is one volatile read and
 * {@link #onSuccess()} one or two; while open, a skip adds a read of the ticker.
 *
 * <p><b>Logs.</b> Never a log storm: at most one WARNING per minute about failures, with the
 * number of failures not logged since the last one; at most one WARNING per minute when the
 * circuit opens; and one INFO when a circuit whose opening was logged closes again. Messages
 * name the engine and never hold a password (URLs in them are masked).
 *
 * <p>An engine that has a breaker hands it out through
 * {@code CacheEngine.unwrap(CircuitBreaker.class)}, so health checks and metrics can read its
 * {@link #state()} and counters; each of its caches also counts skipped calls in
 * {@code CacheStats.rejectedCount()}.
 *
 * <p><b>Time</b> comes from the configuration's {@link CacheConfig#ticker() ticker}, so tests move
 * it without sleeping.
 *
 * <p><b>Thread-safety:</b> thread-safe; the closed path takes no lock. <b>Nulls:</b> no method
 * accepts or returns {@code null}.
 */
public final class CircuitBreaker {

  /** Where the circuit is. */
  public enum State {
    /** Calls go to the engine; consecutive failures are counted. */
    CLOSED,
    /** Calls skip the engine until the cool-down has passed. */
    OPEN,
    /** One probe call is at the engine; the others skip it until the probe reports. */
    HALF_OPEN
  }

  private static final System.Logger LOG = System.getLogger(CircuitBreaker.class.getName());
  private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final String engine;
  private final String description;
  private final int threshold;
  private final long coolDownNanos;
  private final Ticker ticker;

  private volatile State state = State.CLOSED;
  /** Ticker time when the circuit last opened (or a probe failed). */
  private volatile long openedAt;
  /** Ticker time when the current probe was let through. */
  private volatile long probeStartedAt;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final LongAdder failures = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final AtomicLong openings = new AtomicLong();
  private volatile String lastFailure = "none";
  /** {@link #rejected} when the circuit last opened, to log how many calls the outage skipped. */
  private volatile long rejectedAtOpening;

  private final AtomicLong lastFailureLog;
  private final AtomicLong lastOpenLog;
  private final LongAdder unloggedFailures = new LongAdder();
  /** Whether the WARNING of the current opening was logged: then its end is logged too. */
  private volatile boolean openingLogged;

  private CircuitBreaker(String engine, String description, int threshold, Duration coolDown,
      Ticker ticker) {
    this.engine = engine;
    this.description = CacheConfig.maskSecrets(description);
    this.threshold = threshold;
    this.coolDownNanos = coolDown.toNanos();
    this.ticker = ticker;
    long now = ticker.read();
    this.lastFailureLog = new AtomicLong(now - LOG_INTERVAL_NANOS);
    this.lastOpenLog = new AtomicLong(now - LOG_INTERVAL_NANOS);
  }

  /**
   * A closed breaker for the engine called {@code engine}, configured by
   * {@code circuit-breaker.failures}, {@code circuit-breaker.cool-down} and the ticker of
   * {@code config}.
   *
   * @param description what the engine reaches, for messages, such as
   *     {@code "Redis at redis://host:6379"}; a password in a URL in it is masked
   */
  public static CircuitBreaker create(String engine, String description, CacheConfig config) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(description, "description");
    return new CircuitBreaker(engine, description, config.circuitBreakerFailures(),
        config.circuitBreakerCoolDown(), config.ticker());
  }

  /**
   * Whether a call may go to the engine now: always while closed; while open, only the one
   * probe once the cool-down has passed. The caller of a permitted call reports its outcome.
   * A refusal is counted in {@link #rejectedCount()}.
   */
  public boolean tryAcquire() {
    State current = state;
    if (current == State.CLOSED) {
      return true;
    }
    long now = ticker.read();
    if (now - (current == State.OPEN ? openedAt : probeStartedAt) >= coolDownNanos) {
      synchronized (this) {
        current = state;
        if (current == State.CLOSED) {
          return true;
        }
        if (now - (current == State.OPEN ? openedAt : probeStartedAt) >= coolDownNanos) {
          probeStartedAt = now;
          state = State.HALF_OPEN;
          return true;
        }
      }
    }
    rejected.increment();
    return false;
  }

  /** Reports that a permitted call reached the engine: a probe's success closes the circuit. */
  public void onSuccess() {
    if (state == State.CLOSED) {
      if (consecutiveFailures.get() != 0) {
        consecutiveFailures.set(0);
      }
      return;
    }
    boolean closed = false;
    long skipped = 0;
    synchronized (this) {
      // A call that started before the circuit opened may succeed late: only the probe decides.
      if (state == State.HALF_OPEN) {
        state = State.CLOSED;
        consecutiveFailures.set(0);
        closed = openingLogged;
        openingLogged = false;
        skipped = rejected.sum() - rejectedAtOpening;
      }
    }
    if (closed) {
      LOG.log(System.Logger.Level.INFO, "The circuit breaker of the " + engine + " engine ("
          + description + ") is closed: the engine answers again; calls skipped while it was open: "
          + skipped);
    }
  }

  /**
   * Reports that a permitted call failed because of the engine (down, too slow, refused):
   * counts towards opening the circuit, or opens it again after a failed probe.
   *
   * @param message what failed, for logs and {@link #rejection()}; URLs in it are masked
   */
  public void onFailure(String message) {
    String masked = CacheConfig.maskSecrets(Objects.requireNonNull(message, "message"));
    failures.increment();
    lastFailure = masked;
    State current = state;
    if (current == State.CLOSED) {
      int consecutive = consecutiveFailures.incrementAndGet();
      if (threshold > 0 && consecutive >= threshold) {
        boolean opened = false;
        synchronized (this) {
          if (state == State.CLOSED) {
            openedAt = ticker.read();
            rejectedAtOpening = rejected.sum();
            state = State.OPEN;
            openings.incrementAndGet();
            opened = true;
          }
        }
        if (opened) {
          logOpened(consecutive, masked);
          return;
        }
      }
      logFailure(masked);
      return;
    }
    synchronized (this) {
      if (state == State.HALF_OPEN) {
        openedAt = ticker.read(); // the probe failed: another cool-down, not another WARNING
        state = State.OPEN;
      }
    }
  }

  /**
   * The exception a skipped call throws in {@code fail-mode=closed}: it names the engine, why it
   * is skipped and for how long, and the last failure.
   */
  public EngineUnavailableException rejection() {
    long left = Math.max(0, coolDownNanos - (ticker.read() - openedAt));
    return new EngineUnavailableException(engine, "Skipped " + description + ": its circuit "
        + "breaker is open after " + threshold + " consecutive failures; a call probes it again "
        + "in about " + TimeUnit.NANOSECONDS.toMillis(left) + " ms. Last failure: " + lastFailure);
  }

  /** Where the circuit is now. */
  public State state() {
    return state;
  }

  /** Calls refused by {@link #tryAcquire()} since this breaker was made. */
  public long rejectedCount() {
    return rejected.sum();
  }

  /** Failures reported since this breaker was made. */
  public long failureCount() {
    return failures.sum();
  }

  /** How many times the circuit opened (failed probes not counted). */
  public long openedCount() {
    return openings.get();
  }

  /** The configured number of consecutive failures that open the circuit; 0 means never. */
  public int failureThreshold() {
    return threshold;
  }

  /** How long an open circuit skips the engine before a probe. */
  public Duration coolDown() {
    return Duration.ofNanos(coolDownNanos);
  }

  /** The message of the last failure reported, passwords masked; {@code "none"} before any. */
  public String lastFailure() {
    return lastFailure;
  }

  @Override
  public String toString() {
    return "CircuitBreaker{engine=" + engine + ", state=" + state + ", failures="
        + failures.sum() + ", rejected=" + rejected.sum() + ", opened=" + openings.get() + "}";
  }

  // ---------------------------------------------------------------------------------------------

  private void logFailure(String message) {
    if (!claim(lastFailureLog)) {
      unloggedFailures.increment();
      return;
    }
    long unlogged = unloggedFailures.sumThenReset();
    LOG.log(System.Logger.Level.WARNING, "The " + engine + " engine failed (" + description
        + "): " + message + (unlogged > 0 ? "; " + unlogged + " more failures since the last "
        + "warning were not logged" : "") + " (at most one such warning a minute)");
  }

  private void logOpened(int consecutive, String message) {
    if (!claim(lastOpenLog)) {
      unloggedFailures.increment();
      return;
    }
    openingLogged = true;
    LOG.log(System.Logger.Level.WARNING, "The circuit breaker of the " + engine + " engine ("
        + description + ") is open after " + consecutive + " consecutive failures: calls skip "
        + "the engine for " + coolDown() + ", then one call probes it. Last failure: " + message);
  }

  /** Whether this thread may log now, at most once per interval by {@code last}. */
  private boolean claim(AtomicLong last) {
    long now = ticker.read();
    long previous = last.get();
    return now - previous >= LOG_INTERVAL_NANOS && last.compareAndSet(previous, now);
  }
}
