package io.ucache.redis;

import io.ucache.spi.KeyText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Fuzzes {@link RedisKeys}, the Redis key builder: for any two String keys (separators,
 * newlines, glob characters, {@code #}, lone surrogates, keys long enough to be hashed), the
 * Redis keys differ exactly when the keys differ, every Redis key starts with its cache's
 * {@code <namespace>:<cache>:} prefix, and a key that is not hashed decodes back to itself. A
 * key with an unpaired surrogate, which UTF-8 cannot hold, is refused.
 * Keys of every supported type round-trip, and keys of two types never share a Redis key
 * ({@code 1} and {@code "1"} differ). Two cache names never share a prefix.
 */
class RedisKeysFuzzTest {

  private static final RedisKeys<String> STRINGS = RedisKeys.of(String.class, "ns", "cache");
  private static final byte[] PREFIX = "ns:cache:".getBytes(StandardCharsets.UTF_8);

  @FuzzTest(maxDuration = "10s")
  void encode_twoKeys_redisKeysDifferExactlyWhenKeysDiffer(FuzzedDataProvider data) {
    String first = key(data);
    String second = data.consumeBoolean() ? first + key(data) : key(data);
    if (KeyText.unpairedSurrogate(first) >= 0 || KeyText.unpairedSurrogate(second) >= 0) {
      String broken = KeyText.unpairedSurrogate(first) >= 0 ? first : second;
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
    int small = (int) number;
    char letter = first.isEmpty() || Character.isSurrogate(first.charAt(0)) ? 'x' : first.charAt(0);
    List<Object> typed = List.of(number, small, (short) small, (byte) small, letter,
        (small & 1) == 0, new UUID(number, small), Long.toString(number),
        Integer.toString(small), String.valueOf(letter), String.valueOf((small & 1) == 0));
    Map<String, Object> byRedisKey = new HashMap<>();
    for (Object key : typed) {
      RedisKeys<Object> keys = RedisKeysTest.keysOf(key);
      byte[] redisKey = keys.encode(key);
      assertThat(keys.decode(redisKey)).as("decode(encode(%s))", key).isEqualTo(key);
      Object other = byRedisKey.put(new String(redisKey, StandardCharsets.UTF_8), key);
      assertThat(other == null || (other.equals(key) && other.getClass() == key.getClass()))
          .as("%s (%s) and %s share a Redis key", key, key.getClass().getSimpleName(), other)
          .isTrue();
    }
    // Cache names too: any two (lone surrogates, ':', '%', non-ASCII) get distinct prefixes.
    String firstCache = first.isEmpty() ? "c" : first;
    String secondCache = second.isEmpty() ? "c" : second;
    byte[] a = RedisKeys.of(String.class, "ns", firstCache).encode("k");
    byte[] b = RedisKeys.of(String.class, "ns", secondCache).encode("k");
    assertThat(Arrays.equals(a, b)).as("caches '%s' and '%s'", firstCache, secondCache)
        .isEqualTo(firstCache.equals(secondCache));
  }

  private static String key(FuzzedDataProvider data) {
    return data.consumeBoolean() ? data.consumeString(40)
        : data.consumeString(8).repeat(data.consumeInt(1, 80));
  }
}
