package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * Fuzzes {@link RedisKeys}, the Redis key builder: for any two String keys (separators,
 * newlines, glob characters, {@code #}, lone surrogates, keys long enough to be hashed), the
 * Redis keys differ exactly when the keys differ, every Redis key starts with its cache's
 * {@code <namespace>:<cache>:} prefix, and a key that is not hashed decodes back to itself. A
 * key with an unpaired surrogate, which UTF-8 cannot hold, is refused.
 * Integer, Long and UUID keys round-trip too.
 */
class RedisKeysFuzzTest {

  private static final RedisKeys<String> STRINGS = RedisKeys.of(String.class, "ns", "cache");
  private static final byte[] PREFIX = "ns:cache:".getBytes(StandardCharsets.UTF_8);

  @FuzzTest(maxDuration = "10s")
  void encode_twoKeys_redisKeysDifferExactlyWhenKeysDiffer(FuzzedDataProvider data) {
    String first = key(data);
    String second = data.consumeBoolean() ? first + key(data) : key(data);
    if (RedisKeys.unpairedSurrogate(first) >= 0 || RedisKeys.unpairedSurrogate(second) >= 0) {
      String broken = RedisKeys.unpairedSurrogate(first) >= 0 ? first : second;
      assertThatThrownBy(() -> STRINGS.encode(broken)).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    byte[] firstKey = STRINGS.encode(first);
    byte[] secondKey = STRINGS.encode(second);

    assertThat(Arrays.equals(firstKey, secondKey)).as("'%s' and '%s'", first, second)
        .isEqualTo(first.equals(second));
    for (String key : new String[] {first, second}) {
      byte[] redisKey = STRINGS.encode(key);
      assertThat(Arrays.copyOf(redisKey, PREFIX.length)).isEqualTo(PREFIX);
      if (!STRINGS.isHashed(redisKey)) {
        assertThat(STRINGS.decode(redisKey)).isEqualTo(key);
      }
    }
    long number = data.consumeLong();
    assertThat(RedisKeys.of(Long.class, "ns", "c").decode(
        RedisKeys.of(Long.class, "ns", "c").encode(number))).isEqualTo(number);
    int small = (int) number;
    assertThat(RedisKeys.of(Integer.class, "ns", "c").decode(
        RedisKeys.of(Integer.class, "ns", "c").encode(small))).isEqualTo(small);
    UUID uuid = new UUID(number, small);
    assertThat(RedisKeys.of(UUID.class, "ns", "c").decode(
        RedisKeys.of(UUID.class, "ns", "c").encode(uuid))).isEqualTo(uuid);
  }

  private static String key(FuzzedDataProvider data) {
    return data.consumeBoolean() ? data.consumeString(40)
        : data.consumeString(8).repeat(data.consumeInt(1, 80));
  }
}
