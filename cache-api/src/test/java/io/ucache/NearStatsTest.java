package io.ucache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.NearStats.FlushCause;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NearStatsTest {

  @Test
  void flushCounts_everyCausePresent_andCopied() {
    Map<FlushCause, Long> given = new HashMap<>(Map.of(FlushCause.CLEAR, 2L));
    NearStats stats = new NearStats(0, 0, 0, given, 0, 0, 0);
    given.put(FlushCause.CLEAR, 9L);

    assertThat(stats.flushCounts()).containsOnlyKeys(FlushCause.values())
        .containsEntry(FlushCause.CLEAR, 2L).containsEntry(FlushCause.FEED_LOST, 0L);
    assertThat(stats.flushCount()).isEqualTo(2);
    assertThat(stats).isEqualTo(new NearStats(0, 0, 0,
        Map.of(FlushCause.CLEAR, 2L, FlushCause.FEED_LOST, 0L), 0, 0, 0));
  }

  @Test
  void averageInvalidationLag_totalOverCount_zeroWithoutSamples() {
    assertThat(new NearStats(0, 0, 4, Map.of(), 4, 2_000_000, 1_200_000)
        .averageInvalidationLag()).isEqualTo(Duration.ofNanos(500_000));
    assertThat(NearStats.NONE.averageInvalidationLag()).isZero();
  }

  @Test
  void negativeCounter_refused() {
    assertThatThrownBy(() -> new NearStats(0, 0, 0, Map.of(FlushCause.CLEAR, -1L), 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NearStats(-1, 0, 0, Map.of(), 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cacheStats_withoutNear_reportsNone() {
    assertThat(new CacheStats(1, 2, 3, 4, 5, 6, 7).near()).isEqualTo(NearStats.NONE);
    assertThat(CacheStats.EMPTY.near()).isEqualTo(NearStats.NONE);
  }
}
