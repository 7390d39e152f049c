package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.ucache.testkit.RedisClusterExtension;
import io.ucache.testkit.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SizeIndex} on real servers: the write order is the server's, trimming unlinks the oldest. */
class SizeIndexTest {

  private static final byte[] INDEX = bytes("si:c");

  @Nested
  class Standalone {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();

    @Test
    void track_pastTheLimit_unlinksTheOldestByServerOrder() throws Exception {
      RedisClient client = RedisClient.create(redis.url());
      try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
        for (int i = 1; i <= 5; i++) {
          c.sync().set(bytes("si:c:k" + i), bytes("v"));
          long unlinked = SizeIndex.track(c.async(), INDEX, 3, List.of(bytes("si:c:k" + i)))
              .get(5, TimeUnit.SECONDS);
          assertThat(unlinked).isEqualTo(i <= 3 ? 0 : 1);
        }

        assertThat(redis.cli("EXISTS", "si:c:k1", "si:c:k2")).isEqualTo("0");
        assertThat(redis.cli("EXISTS", "si:c:k3", "si:c:k4", "si:c:k5")).isEqualTo("3");
        assertThat(redis.cli("ZRANGE", "si:c", "0", "-1")).isEqualTo("si:c:k3\nsi:c:k4\nsi:c:k5");
      } finally {
        client.shutdown();
      }
    }

    @Test
    void track_scores_areTheServerClockAndStrictlyIncreasingWithinOneMicrosecond()
        throws Exception {
      RedisClient client = RedisClient.create(redis.url());
      try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
        c.sync().del(bytes("si:t"));
        List<byte[]> written = new ArrayList<>();
        IntStream.range(0, 1_000).forEach(i -> written.add(bytes("si:t:k" + i)));
        // A client clock far off (another host's) must not matter: only the server's counts.
        List<?> time = c.sync().time();
        long serverMicros = Long.parseLong(new String((byte[]) time.get(0),
            StandardCharsets.US_ASCII)) * 1_000_000;

        SizeIndex.track(c.async(), bytes("si:t"), 10_000, written).get(5, TimeUnit.SECONDS);
        SizeIndex.track(c.async(), bytes("si:t"), 10_000, List.of(bytes("si:t:last")))
            .get(5, TimeUnit.SECONDS);

        List<ScoredValue<byte[]>> ranked = c.sync().zrangeWithScores(bytes("si:t"), 0, -1);
        assertThat(ranked).hasSize(1_001);
        for (int i = 0; i < 1_000; i++) {
          assertThat(new String(ranked.get(i).getValue(), StandardCharsets.UTF_8))
              .isEqualTo("si:t:k" + i);
        }
        assertThat(new String(ranked.get(1_000).getValue(), StandardCharsets.UTF_8))
            .isEqualTo("si:t:last");
        for (int i = 1; i < ranked.size(); i++) {
          assertThat(ranked.get(i).getScore()).isGreaterThan(ranked.get(i - 1).getScore());
        }
        assertThat((long) ranked.get(0).getScore())
            .isBetween(serverMicros - 5_000_000, serverMicros + 60_000_000);
      } finally {
        client.shutdown();
      }
    }
  }

  @Nested
  class Cluster {
    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.create();

    @Test
    void track_entriesOnEveryMaster_oneScriptOnTheIndexAndUnlinksAcrossSlots() throws Exception {
      RedisClusterClient client = RedisClusterClient.create(
          cluster.nodes().stream().map(n -> io.lettuce.core.RedisURI.create(n.url())).toList());
      try (StatefulRedisClusterConnection<byte[], byte[]> c =
          client.connect(ByteArrayCodec.INSTANCE)) {
        List<byte[]> written = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
          byte[] key = bytes("si:c:k" + i);
          c.sync().set(key, bytes("v"));
          written.add(key);
        }

        long unlinked = SizeIndex.track(c.async(), INDEX, 10, written).get(5, TimeUnit.SECONDS);

        assertThat(unlinked).isEqualTo(50);
        assertThat(c.sync().zcard(INDEX)).isEqualTo(10);
        for (int i = 0; i < 60; i++) {
          assertThat(c.sync().exists(written.get(i))).as("k" + i).isEqualTo(i < 50 ? 0 : 1);
        }
      } finally {
        client.shutdown();
      }
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
