package io.ucache.ehcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ucache.CacheSerializationException;
import java.util.Arrays;

/**
 * Fuzzes the Ehcache key codec: any String key (lone surrogates and NULs included) round-trips
 * through its disk bytes, two keys share bytes only when equal, and bytes that are not a key
 * (a damaged file) are refused with {@link CacheSerializationException}, never another failure.
 * Long keys round-trip too.
 */
class KeyCodecFuzzTest {

  private static final KeyCodec<String> STRINGS = KeyCodec.forType("fuzz", String.class);
  private static final KeyCodec<Long> LONGS = KeyCodec.forType("fuzz", Long.class);

  @FuzzTest(maxDuration = "10s")
  void encodeDecode_anyKeysAndBytes_roundTripOrRefuse(FuzzedDataProvider data) {
    String first = data.consumeString(64);
    String second = data.consumeString(64);
    Object firstKey = STRINGS.encode(first);
    Object secondKey = STRINGS.encode(second);
    assertThat(STRINGS.decode(firstKey)).isEqualTo(first);
    assertThat(firstKey.equals(secondKey)).as("'%s' and '%s'", first, second)
        .isEqualTo(first.equals(second));
    // The disk tier reads a key back from its bytes: the same key, in the same form.
    assertThat(EncodedKey.of(EncodedKey.bytes(firstKey))).isEqualTo(firstKey)
        .hasSameHashCodeAs(firstKey);

    long number = data.consumeLong();
    assertThat(LONGS.decode(LONGS.encode(number))).isEqualTo(number);

    byte[] foreign = data.consumeRemainingAsBytes();
    for (KeyCodec<?> codec : new KeyCodec<?>[] {STRINGS, LONGS}) {
      try {
        codec.decode(EncodedKey.of(foreign));
      } catch (CacheSerializationException refused) {
        // documented
      } catch (RuntimeException other) {
        fail("decoding " + Arrays.toString(foreign) + " threw " + other, other);
      }
    }
  }
}
