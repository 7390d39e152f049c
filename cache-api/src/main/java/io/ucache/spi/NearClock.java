package io.ucache.spi;

import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A coarse clock for near caches and refreshing caches: {@link System#nanoTime()} and
 * {@link System#currentTimeMillis()} read by one daemon thread every {@link #TICK}, so that a
 * hit checks its entry's age with a volatile read instead of a clock call (26 ns on a virtual
 * machine's {@code kvm-clock}, three times a Caffeine lookup). A copy may so outlive
 * {@code near.max-staleness}, and an entry be refreshed or expire late, by one tick, and by
 * longer while the thread waits for a core on a busy machine (engines whose reads are round
 * trips read the system clock instead).
 *
 * <p>The thread runs while an engine holds a lease: it starts with the first and stops after the
 * last is released, by {@link Cleaner.Cleanable#clean()} at the engine's close or, for an engine
 * dropped without closing, when the collector finds it. Thread-safe.
 */
final class NearClock {

  /** How often the clock moves. */
  static final Duration TICK = Duration.ofMillis(10);

  private static final Cleaner CLEANER = Cleaner.create();
  private static volatile long now = System.nanoTime();
  private static volatile long wallMillis = System.currentTimeMillis();
  /** Guarded by the class. */
  private static int leases;
  /** The running clock thread, guarded by the class. */
  private static @Nullable Thread thread;

  private NearClock() {}

  /** The time, at most one {@link #TICK} behind {@link System#nanoTime()} while leased. */
  static long now() {
    return now;
  }

  /**
   * The wall-clock time in milliseconds, at most one {@link #TICK} behind
   * {@link System#currentTimeMillis()} while leased: entries' ages for refresh-ahead.
   */
  static long wallMillis() {
    return wallMillis;
  }

  /** Keeps the clock running until the returned lease is cleaned or {@code owner} is collected. */
  static Cleaner.Cleanable lease(Object owner) {
    synchronized (NearClock.class) {
      now = System.nanoTime();
      wallMillis = System.currentTimeMillis();
      if (leases++ == 0) {
        Thread ticking = new Thread(NearClock::tick, "ucache-near-clock");
        ticking.setDaemon(true);
        thread = ticking;
        ticking.start();
      }
    }
    return CLEANER.register(owner, NearClock::release);
  }

  private static void release() {
    synchronized (NearClock.class) {
      if (--leases == 0 && thread != null) {
        LockSupport.unpark(thread);
        thread = null;
      }
    }
  }

  private static void tick() {
    Thread me = Thread.currentThread();
    while (true) {
      synchronized (NearClock.class) {
        if (thread != me) {
          return;
        }
      }
      now = System.nanoTime();
      wallMillis = System.currentTimeMillis();
      LockSupport.parkNanos(TICK.toNanos());
    }
  }
}
