package io.ucache.benchmarks;

import java.util.SplittableRandom;

/**
 * Deterministic Zipf-distributed integer keys: item {@code i} (0-based, before scrambling) is
 * drawn with probability proportional to {@code 1 / (i + 1)^exponent}. The ranks are scrambled
 * by a fixed bijection so that hot keys do not sit next to each other in hash tables, the shape
 * of YCSB's scrambled Zipfian generator that Caffeine's own {@code GetPutBenchmark} uses. The
 * same seed gives the same keys in every JVM. Not thread-safe; used during set-up only.
 */
final class ZipfKeys {

  private ZipfKeys() {}

  /**
   * {@code count} keys drawn from {@code items} distinct ones.
   *
   * @throws IllegalArgumentException if {@code items} or {@code count} is not positive
   */
  static int[] draw(int items, int count, double exponent, long seed) {
    if (items <= 0 || count <= 0) {
      throw new IllegalArgumentException("items and count must be positive: " + items + ", "
          + count);
    }
    double[] cumulative = new double[items];
    double sum = 0;
    for (int i = 0; i < items; i++) {
      sum += 1.0 / Math.pow(i + 1, exponent);
      cumulative[i] = sum;
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[] keys = new int[count];
    for (int n = 0; n < count; n++) {
      double u = random.nextDouble() * sum;
      int low = 0;
      int high = items - 1;
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (cumulative[mid] < u) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      keys[n] = scramble(low);
    }
    return keys;
  }

  /** A fixed bijection of int (a multiplication by an odd constant, then an xor-shift). */
  static int scramble(int rank) {
    int h = rank * 0x9E3779B1;
    return h ^ (h >>> 16);
  }
}
