package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Redis key names of {@link RedisKeys}: readable, one per cache and key, never shared. */
class RedisKeysTest {

  @Test
  void encode_nonAsciiCacheName_prefixHoldsTheWholeName() {
    RedisKeys<String> keys = RedisKeys.of(String.class, "ucache", "thé-été").limitedTo(1_000);

    assertThat(text(keys.encode("k"))).isEqualTo("ucache:thé-été:k");
    assertThat(keys.pattern()).isEqualTo("ucache:thé-été:*");
    assertThat(keys.decode(keys.encode("k"))).isEqualTo("k");
  }

  @Test
  void encode_cacheNamesThatUtf8CannotHold_escapedApartFromLookalikes() {
    List<String> names = List.of("a\uD800", "a?", "a%uD800", "a%", "a%25", "a:b", "a%3Ab");
    List<String> prefixes = new ArrayList<>();
    for (String name : names) {
      prefixes.add(text(RedisKeys.of(String.class, "ns", name).encode("k")));
    }

    assertThat(prefixes).doesNotHaveDuplicates();
    assertThat(prefixes.get(1)).isEqualTo("ns:a?:k");
    assertThat(RedisKeys.of(String.class, "ns", "a*[?]\\").pattern())
        .isEqualTo("ns:a\\*\\[\\?\\]\\\\:*");
  }

  @Test
  void encode_integerOneAndStringOne_differentRedisKeys() {
    byte[] integer = RedisKeys.of(Integer.class, "ns", "c").encode(1);
    byte[] string = RedisKeys.of(String.class, "ns", "c").encode("1");

    assertThat(text(string)).isEqualTo("ns:c:1");
    assertThat(text(integer)).isEqualTo("ns:c:#int:1");
    assertThat(RedisKeys.of(String.class, "ns", "c").decode(integer)).isNull();
    assertThat(RedisKeys.of(Integer.class, "ns", "c").decode(string)).isNull();
  }

  @Test
  void encode_stringKeysThatLookTyped_escapedSoNoTypedKeyMeetsThem() {
    RedisKeys<String> strings = RedisKeys.of(String.class, "ns", "c");

    assertThat(text(strings.encode("#int:1"))).isEqualTo("ns:c:##int:1");
    assertThat(strings.decode(strings.encode("#int:1"))).isEqualTo("#int:1");
    assertThat(strings.encode("#int:1"))
        .isNotEqualTo(RedisKeys.of(Integer.class, "ns", "c").encode(1));
  }

  @Test
  void encode_everySupportedType_roundTripsAndNeverMeetsAnotherType() {
    List<Object> keys = List.of("1", 1, 1L, (short) 1, (byte) 1, '1', true, "true",
        new UUID(0, 1), new UUID(0, 1).toString());
    List<String> encoded = new ArrayList<>();
    for (Object key : keys) {
      RedisKeys<Object> typed = keysOf(key);
      byte[] redisKey = typed.encode(key);
      assertThat(typed.decode(redisKey)).as("decoded %s", key).isEqualTo(key);
      assertThat(typed.isHashed(redisKey)).isFalse();
      encoded.add(text(redisKey));
    }
    assertThat(encoded).doesNotHaveDuplicates();
  }

  @Test
  void decode_nonCanonicalTextOfATypedKey_isForeign() {
    RedisKeys<Integer> ints = RedisKeys.of(Integer.class, "ns", "c");
    RedisKeys<Boolean> bools = RedisKeys.of(Boolean.class, "ns", "c");

    assertThat(ints.decode("ns:c:#int:+1".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(ints.decode("ns:c:#int:01".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(bools.decode("ns:c:#bool:yes".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(ints.decode("ns:c:#int:7".getBytes(StandardCharsets.UTF_8))).isEqualTo(7);
  }

  @Test
  void isHashed_onlyADigestIs() {
    RedisKeys<String> strings = RedisKeys.of(String.class, "ns", "c");
    byte[] hashed = strings.encode("x".repeat(RedisKeys.MAX_PLAIN + 1));

    assertThat(strings.isHashed(hashed)).isTrue();
    assertThat(strings.isHashed(strings.encode("#abc"))).isFalse();
    assertThat(strings.isHashed("ns:c:#abc".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(strings.decode("ns:c:#abc".getBytes(StandardCharsets.UTF_8))).isNull();
  }

  @SuppressWarnings("unchecked")
  static RedisKeys<Object> keysOf(Object key) {
    return (RedisKeys<Object>) RedisKeys.of(key.getClass(), "ns", "c");
  }

  static String text(byte[] redisKey) {
    return new String(redisKey, StandardCharsets.UTF_8);
  }
}
