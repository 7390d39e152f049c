package io.ucache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.context.EngineContext;
import io.ucache.context.EngineInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExamplesTest {
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

  @AfterEach
  void noContextLeaks() {
    assertThat(EngineContext.current()).isEmpty();
  }

  private String printed() {
    return buffer.toString(StandardCharsets.UTF_8);
  }

  @Test
  void engines_defaultClassPath_listsCaffeineAvailable() {
    List<EngineInfo> engines = EnginesExample.run(out);

    assertThat(engines).anySatisfy(e -> {
      assertThat(e.name()).isEqualTo("caffeine");
      assertThat(e.available()).isTrue();
    });
    assertThat(printed()).contains("caffeine").contains("available").contains("in-process");
  }

  @Test
  void scopedContext_secondCall_isServedFromCacheAndEngineClosedAfter() {
    ScopedContextExample.Result result = ScopedContextExample.run(out, 200_000);

    assertThat(result.value()).isEqualTo(SlowService.countPrimesBelow(200_000));
    assertThat(result.engineClosedAfter()).isTrue();
    assertThat(printed()).contains("cold call", "first warm call", "warm calls");
  }

  @Test
  void slowService_countsPrimes() {
    assertThat(SlowService.countPrimesBelow(2)).isZero();
    assertThat(SlowService.countPrimesBelow(30)).isEqualTo(10);
    assertThat(SlowService.countPrimesBelow(1_000)).isEqualTo(168);
  }

  @Test
  void reusableContext_eachOpen_startsAFreshEngine() {
    assertThat(ReusableContextExample.run(out)).containsExactly(0, 0);
    assertThat(printed()).contains("2 distinct words cached, 1 hits");
  }

  @Test
  void singleFlight_sixteenThreads_loadOnce() throws Exception {
    SingleFlightExample.Result result = SingleFlightExample.run(out, 16);

    assertThat(result.loads()).isEqualTo(1);
    assertThat(result.distinctAnswers()).isEqualTo(1);
  }

  @Test
  void ttl_entry_presentThenGoneAfterTtl() {
    Duration ttl = Duration.ofMillis(50);

    TtlExample.Result result = TtlExample.run(out, ttl);

    assertThat(result.presentAtFirst()).isTrue();
    assertThat(result.goneAfter()).isGreaterThanOrEqualTo(ttl);
  }

  @Test
  void manualEngine_isClosedByItsOwner() {
    assertThat(ManualEngineExample.run(out).isClosed()).isTrue();
    assertThat(printed()).contains("user 42 = Ada");
  }

  @Test
  void tour_runsEverySection() throws Exception {
    Tour.run(out);

    assertThat(printed()).contains("1. Engines", "2. A slow function", "3. A reusable",
        "4. Single-flight", "5. A TTL", "6. An engine you create", "Done in");
  }
}
