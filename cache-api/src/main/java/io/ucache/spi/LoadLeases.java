package io.ucache.spi;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Leases on the loads of single keys, held in an engine shared between processes, for
 * {@code single-flight.scope=cluster}: the storage primitives the template builds cross-process
 * single-flight from (taking, renewing and releasing a lease, and a write fenced by it). The
 * template owns the policy: tokens, renewal while a load runs, waiting, fallbacks. A lease is
 * identified by its key and the token of the caller that took it; it expires by itself after its
 * lease time unless renewed, so a holder that dies blocks the key for at most that long.
 *
 * <p>Methods throw {@link io.ucache.EngineUnavailableException} when the engine fails.
 * Implementations are thread-safe; nothing is null but where marked.
 *
 * @param <K> the key type
 * @param <S> the engine's stored form
 */
public interface LoadLeases<K, S> {

  /** Takes the lease on {@code key} for {@code token}: whether it was free. */
  boolean tryTake(K key, String token, Duration leaseTime);

  /** Extends the lease {@code token} holds on {@code key}: whether it still held it. */
  boolean renew(K key, String token, Duration leaseTime);

  /** Ends the lease {@code token} holds on {@code key}, if it still holds it. */
  void release(K key, String token);

  /**
   * Stores {@code stored} for {@code key} unless it holds something, only while {@code token}
   * holds the key's lease, atomically.
   *
   * @return {@link Fenced#stored()}, {@link Fenced#lost()} (nothing stored: the lease expired
   *     or was taken since), or {@link Fenced#held} what {@code key} holds
   */
  Fenced<S> writeIfAbsentHolding(K key, S stored, String token);

  /**
   * The outcome of {@link #writeIfAbsentHolding}: stored, lost, or the stored form present.
   *
   * @param present what the key holds, when neither stored nor lost
   * @param leaseLost whether the lease was no longer held, so nothing was written
   */
  record Fenced<S>(@Nullable S present, boolean leaseLost) {
    private static final Fenced<?> STORED = new Fenced<>(null, false);
    private static final Fenced<?> LOST = new Fenced<>(null, true);

    /** The write was made. */
    @SuppressWarnings("unchecked")
    public static <S> Fenced<S> stored() {
      return (Fenced<S>) STORED;
    }

    /** The lease was no longer held: nothing was written. */
    @SuppressWarnings("unchecked")
    public static <S> Fenced<S> lost() {
      return (Fenced<S>) LOST;
    }

    /** The key held {@code present}: nothing was written. */
    public static <S> Fenced<S> held(S present) {
      return new Fenced<>(Objects.requireNonNull(present, "present"), false);
    }
  }
}
