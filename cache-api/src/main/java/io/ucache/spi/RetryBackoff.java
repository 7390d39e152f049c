package io.ucache.spi;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a key whose reload failed may be reloaded again: one second after the first failure,
 * doubling with each further one up to a minute, each wait cut at random to between half and
 * all of it, so the processes and keys that failed together do not retry together. A success
 * forgets the key. Bounded: past {@link #MAX_KEYS} failing keys it forgets them all (they are
 * retried sooner, which is harmless). Times are in the cache's clock. Thread-safe.
 */
final class RetryBackoff<K> {

  static final long FIRST_WAIT_MILLIS = 1_000;
  static final long MAX_WAIT_MILLIS = 60_000;
  static final int MAX_KEYS = 10_000;

  private record Retry(int failures, long notBefore) {}

  private final ConcurrentHashMap<K, Retry> retries = new ConcurrentHashMap<>();

  /** Whether {@code key} failed a moment ago and must not be reloaded yet. */
  boolean waiting(K key, long now) {
    if (retries.isEmpty()) {
      return false;
    }
    Retry retry = retries.get(key);
    return retry != null && now < retry.notBefore;
  }

  /** A reload of {@code key} failed at {@code now}. */
  void failed(K key, long now) {
    if (retries.size() >= MAX_KEYS) {
      retries.clear();
    }
    retries.compute(key, (k, previous) -> {
      int failures = previous == null ? 1 : previous.failures + 1;
      long wait = Math.min(MAX_WAIT_MILLIS, FIRST_WAIT_MILLIS << Math.min(failures - 1, 16));
      long jittered = wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1);
      return new Retry(failures, now + jittered);
    });
  }

  /** A reload of {@code key} succeeded. */
  void succeeded(K key) {
    if (!retries.isEmpty()) {
      retries.remove(key);
    }
  }
}
