package io.ucache.spi;

import io.ucache.NearStats;
import io.ucache.NearStats.FlushCause;
import java.util.EnumMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one {@link NearCache}, and the clock of its invalidation lag: a write of this
 * process is noted when it starts ({@link #writing}), its acknowledgement time when it returns
 * ({@link #acknowledged}), and the lag when the feed brings its invalidation back
 * ({@link #echoed}); an invalidation that arrives before the acknowledgement counts as no lag.
 * A copy served by {@code get} or {@code lookup} is counted here once, as the near cache's hit
 * and, through {@link #servedHits} and {@link #servedMisses}, as the cache's hit or miss: one
 * counter on the hit path, not two. Only flushes are counted with {@code stats=false}: they
 * tell of failures and are rare.
 * Thread-safe.
 *
 * @param <K> the key type
 */
final class NearCounters<K> {

  /** Writes timed at once: a bound on memory when the feed stops echoing. */
  private static final int MAX_TIMED_WRITES = 1024;

  /** A write in flight or acknowledged, whose invalidation has not come back yet. */
  private static final class TimedWrite {
    volatile long acknowledgedNanos;
    volatile boolean acknowledged;
  }

  private final boolean enabled;
  private final LongAdder servedHits = new LongAdder();
  private final LongAdder servedMisses = new LongAdder();
  private final LongAdder servedToBulk = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder invalidations = new LongAdder();
  private final LongAdder[] flushes = new LongAdder[FlushCause.values().length];
  private final LongAdder lagCount = new LongAdder();
  private final LongAdder lagNanos = new LongAdder();
  private final LongAccumulator maxLagNanos = new LongAccumulator(Math::max, 0);
  private final ConcurrentHashMap<K, TimedWrite> timedWrites = new ConcurrentHashMap<>();

  NearCounters(boolean enabled) {
    this.enabled = enabled;
    for (int i = 0; i < flushes.length; i++) {
      flushes[i] = new LongAdder();
    }
  }

  void servedHit() {
    if (enabled) {
      servedHits.increment();
    }
  }

  void servedMiss() {
    if (enabled) {
      servedMisses.increment();
    }
  }

  void servedToBulk() {
    if (enabled) {
      servedToBulk.increment();
    }
  }

  /** Copies served as hits of the cache: the cache counts them from here, not twice. */
  long servedHits() {
    return servedHits.sum();
  }

  /** Copies served as misses of the cache ({@code ABSENT}, or a hidden null). */
  long servedMisses() {
    return servedMisses.sum();
  }

  void miss() {
    if (enabled) {
      misses.increment();
    }
  }

  /** This process starts writing {@code key}: time the invalidation it will cause. */
  void writing(K key) {
    if (enabled && timedWrites.size() < MAX_TIMED_WRITES) {
      timedWrites.put(key, new TimedWrite());
    }
  }

  /** The engine acknowledged this process's write of {@code key}. */
  void acknowledged(K key) {
    TimedWrite write = timedWrites.get(key);
    if (write != null && !write.acknowledged) {
      write.acknowledgedNanos = System.nanoTime();
      write.acknowledged = true;
    }
  }

  /** The feed delivered a change of {@code key}: the end of its write's lag, if one was timed. */
  void echoed(K key) {
    if (!enabled) {
      return;
    }
    invalidations.increment();
    TimedWrite write = timedWrites.remove(key);
    if (write != null) {
      long lag = write.acknowledged ? Math.max(0, System.nanoTime() - write.acknowledgedNanos) : 0;
      lagCount.increment();
      lagNanos.add(lag);
      maxLagNanos.accumulate(lag);
    }
  }

  /** Every copy was dropped: writes in flight may never be echoed (the feed was lost). */
  void flushed(FlushCause cause) {
    flushes[cause.ordinal()].increment();
    timedWrites.clear();
  }

  NearStats snapshot() {
    EnumMap<FlushCause, Long> flushCounts = new EnumMap<>(FlushCause.class);
    for (FlushCause cause : FlushCause.values()) {
      flushCounts.put(cause, flushes[cause.ordinal()].sum());
    }
    long served = servedHits.sum() + servedMisses.sum() + servedToBulk.sum();
    return new NearStats(served, misses.sum(), invalidations.sum(), flushCounts,
        lagCount.sum(), lagNanos.sum(), maxLagNanos.get());
  }
}
