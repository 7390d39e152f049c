package io.ucache.examples;

/**
 * Stands in for an expensive computation: counts primes below a bound by trial division. Real
 * work rather than a sleep, so the cold/warm difference the examples print is honest.
 */
public final class SlowService {
  private SlowService() {}

  /** The number of primes below {@code bound}. Takes about a quarter second for 2,000,000. */
  public static long countPrimesBelow(int bound) {
    long count = 0;
    for (int n = 2; n < bound; n++) {
      boolean prime = true;
      for (int d = 2; (long) d * d <= n; d++) {
        if (n % d == 0) {
          prime = false;
          break;
        }
      }
      if (prime) {
        count++;
      }
    }
    return count;
  }
}
