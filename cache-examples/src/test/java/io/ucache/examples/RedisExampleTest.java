package io.ucache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.context.EngineContext;
import io.ucache.testkit.RedisServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Redis example and the tour's Redis step, against a real redis-server. */
class RedisExampleTest {

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

  @AfterEach
  void noContextLeaks() {
    assertThat(EngineContext.current()).isEmpty();
  }

  @Test
  void redis_secondEngineAndRedisCli_readWhatTheFirstStored() {
    RedisExample.Result result = RedisExample.run(out, redis.url());

    assertThat(result.readBySecond()).isEqualTo("Hello");
    assertThat(result.bulk()).isEqualTo(Map.of("en", "Hello", "fr", "Bonjour", "de", "Hallo"));
    assertThat(redis.cli("GET", result.redisKey())).isEqualTo("Hello");
    assertThat(Long.parseLong(redis.cli("PTTL", result.redisKey()))).isPositive();
  }

  @Test
  void near_secondReadFromTheCopy_otherProcessWriteArrives() {
    NearCacheExample.Result result = NearCacheExample.run(out, redis.url());

    assertThat(result.afterTwoReads().hitCount()).isPositive();
    assertThat(result.afterTwoReads().missCount()).isPositive();
    assertThat(result.afterOtherWrite()).isEqualTo("1.09");
  }

  @Test
  void clusterSingleFlight_sixteenCallersInTwoEngines_theMethodRunsOnce() throws Exception {
    ClusterSingleFlightExample.Result result = ClusterSingleFlightExample.run(out, redis.url());

    assertThat(result.runs()).isEqualTo(1);
    assertThat(result.distinctAnswers()).isEqualTo(1);
  }

  @Test
  void tour_withRedisUrl_runsTheRedisStep(@TempDir Path baseDir) throws Exception {
    Tour.run(out, baseDir, redis.url());

    assertThat(buffer.toString(StandardCharsets.UTF_8))
        .contains("13. One cache shared through Redis", "the second engine read Hello",
            "14. A near cache over Redis", "from the copy in this process",
            "15. Single-flight across processes", "the method ran 1 time(s)")
        .doesNotContain("skipped");
  }

  @Test
  void tour_withoutRedisUrl_saysHowToEnableTheStep(@TempDir Path baseDir) throws Exception {
    Tour.run(out, baseDir, null);

    assertThat(buffer.toString(StandardCharsets.UTF_8))
        .contains("13. One cache shared through Redis", "set UCACHE_REDIS_URL=redis://");
  }
}
