package io.ucache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CacheStatsTest {

  private static CacheStats stats(long hits, long misses, long loadSuccesses, long loadFailures,
      long loadNanos) {
    return new CacheStats(hits, misses, loadSuccesses, loadFailures, loadNanos, 0, 0);
  }

  @Test
  void hitRate_hitsAndMisses_hitsOverRequests() {
    assertThat(stats(3, 1, 0, 0, 0).hitRate()).isEqualTo(0.75);
    assertThat(stats(1, 2, 0, 0, 0).hitRate()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(stats(0, 5, 0, 0, 0).hitRate()).isZero();
    assertThat(stats(5, 0, 0, 0, 0).hitRate()).isEqualTo(1.0);
  }

  @Test
  void hitRate_noRequests_isOne() {
    assertThat(CacheStats.EMPTY.hitRate()).isEqualTo(1.0);
  }

  @Test
  void requestCount_hitsPlusMisses() {
    assertThat(stats(3, 4, 0, 0, 0).requestCount()).isEqualTo(7);
    assertThat(CacheStats.EMPTY.requestCount()).isZero();
  }

  @Test
  void requestCount_overflow_saturatesAtMaxValue() {
    CacheStats huge = stats(Long.MAX_VALUE, 10, 0, 0, 0);

    assertThat(huge.requestCount()).isEqualTo(Long.MAX_VALUE);
    assertThat(huge.hitRate()).isEqualTo(1.0);
  }

  @Test
  void loadCount_successesPlusFailures() {
    assertThat(stats(0, 0, 2, 3, 0).loadCount()).isEqualTo(5);
    assertThat(stats(0, 0, Long.MAX_VALUE, 1, 0).loadCount()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void averageLoadPenalty_loads_totalTimeOverLoads() {
    CacheStats stats = stats(0, 0, 3, 1, 4_000_000);

    assertThat(stats.averageLoadPenalty()).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void averageLoadPenalty_failuresCount_asLoads() {
    assertThat(stats(0, 0, 0, 2, 10).averageLoadPenalty()).isEqualTo(Duration.ofNanos(5));
  }

  @Test
  void averageLoadPenalty_noLoads_isZero() {
    assertThat(CacheStats.EMPTY.averageLoadPenalty()).isEqualTo(Duration.ZERO);
    assertThat(stats(10, 10, 0, 0, 0).averageLoadPenalty()).isEqualTo(Duration.ZERO);
  }

  @Test
  void empty_everyCounterZero() {
    assertThat(CacheStats.EMPTY).isEqualTo(new CacheStats(0, 0, 0, 0, 0, 0, 0));
    assertThat(CacheStats.EMPTY.evictionCount()).isZero();
    assertThat(CacheStats.EMPTY.errorCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
  void constructor_negativeCounter_rejected(int negativeIndex) {
    long[] counters = new long[8];
    counters[negativeIndex] = -1;

    assertThatThrownBy(() -> new CacheStats(counters[0], counters[1], counters[2], counters[3],
        counters[4], counters[5], counters[6], counters[7]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }

  @Test
  void constructor_withoutRejectedCount_rejectedCountZero() {
    CacheStats stats = new CacheStats(1, 2, 3, 4, 5, 6, 7);

    assertThat(stats.rejectedCount()).isZero();
    assertThat(stats).isEqualTo(new CacheStats(1, 2, 3, 4, 5, 6, 7, 0));
  }
}
