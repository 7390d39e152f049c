package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FakeTickerTest {

  @Test
  void read_untouched_doesNotMove() {
    FakeTicker ticker = new FakeTicker();

    assertThat(ticker.read()).isEqualTo(ticker.read());
  }

  @Test
  void advance_duration_movesReadByExactlyThatMuch() {
    FakeTicker ticker = new FakeTicker();
    long before = ticker.read();

    ticker.advance(Duration.ofMinutes(10)).advance(Duration.ofNanos(1));

    assertThat(ticker.read() - before).isEqualTo(Duration.ofMinutes(10).toNanos() + 1);
  }

  @Test
  void advance_negativeDuration_throwsIllegalArgumentExceptionAndKeepsTime() {
    FakeTicker ticker = new FakeTicker();
    long before = ticker.read();

    assertThatThrownBy(() -> ticker.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ticker.read()).isEqualTo(before);
  }
}
