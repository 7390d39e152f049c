package io.ucache.ehcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.CacheConfigException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Keys become bytes losslessly, and equal keys become equal bytes. */
class KeyCodecTest {

  record Point(int x, int y) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  enum Color { RED, GREEN }

  @Test
  void encodeText_anyString_roundTripsAndAsciiStaysAscii() {
    for (String text : List.of("", "plain", "ünïcödé", "\u0000nul", "emoji \uD83D\uDE00",
        "lone \uD800", "lone \uDFFF", "x".repeat(10_000))) {
      assertThat(KeyCodec.decodeText(KeyCodec.encodeText(text))).isEqualTo(text);
    }
    assertThat(KeyCodec.encodeText("abc")).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void encodeText_asciiShortcutAndEachUnitEncoding_agreeOnTheBytes() {
    // ASCII goes through the JDK's encoder; NUL, '?' and anything else through the per-unit
    // encoder: the bytes must be what modified UTF-8 gives either way.
    assertThat(KeyCodec.encodeText("key-42")).containsExactly('k', 'e', 'y', '-', '4', '2');
    assertThat(KeyCodec.encodeText("a?b")).containsExactly('a', '?', 'b');
    assertThat(KeyCodec.encodeText("a\u0000")).containsExactly('a', 0xC0, 0x80);
    assertThat(KeyCodec.encodeText("\uD800")).containsExactly(0xED, 0xA0, 0x80);
    assertThat(KeyCodec.encodeText("\u00e9")).containsExactly(0xC3, 0xA9);
  }

  @Test
  void encode_asciiString_isItsOwnStoreKeyAsTheDiskTierReadsItBack() {
    KeyCodec<String> codec = KeyCodec.forType("c", String.class);
    for (String text : List.of("", "sku-42", "a?b", "~ !\u007f", "x".repeat(300))) {
      Object stored = codec.encode(text);
      Object readBack = EncodedKey.of(KeyCodec.encodeText(text)); // as the disk tier reads it

      assertThat(stored).as("the string itself").isSameAs(text);
      assertThat(readBack).isEqualTo(text).hasSameHashCodeAs(text);
      assertThat(EncodedKey.bytes(stored)).isEqualTo(KeyCodec.encodeText(text));
      assertThat(codec.decode(readBack)).isEqualTo(text);
    }
    assertThat(codec.encode("sku-42")).isNotEqualTo(EncodedKey.of(KeyCodec.encodeText("sku-43")))
        .isNotEqualTo(EncodedKey.of(KeyCodec.encodeText("sku-4")));
  }

  @Test
  void encode_nonAsciiOrNul_isBytesEqualToWhatTheDiskTierReadsBack() {
    KeyCodec<String> codec = KeyCodec.forType("c", String.class);
    for (String text : List.of("a\u0000", "caf\u00e9", "\uD800", "\u4e2d")) {
      Object stored = codec.encode(text);
      Object readBack = EncodedKey.of(KeyCodec.encodeText(text));

      assertThat(stored).as("'%s' as bytes", text).isInstanceOf(EncodedKey.class)
          .isEqualTo(readBack).hasSameHashCodeAs(readBack);
      assertThat(codec.decode(readBack)).isEqualTo(text);
    }
    // Keys of other types whose text is ASCII are stored as that text, and read back.
    KeyCodec<Long> longs = KeyCodec.forType("c", Long.class);
    assertThat(longs.encode(-42L)).isEqualTo("-42");
    assertThat(longs.decode(EncodedKey.of(KeyCodec.encodeText("-42")))).isEqualTo(-42L);
  }

  @Test
  void encode_asciiStringLongerThanMaxKeyBytes_isRefused() {
    KeyCodec<String> codec = KeyCodec.forType("c", String.class).limitedTo(4);

    assertThat(EncodedKey.length(codec.encode("abcd"))).isEqualTo(4);
    assertThatThrownBy(() -> codec.encode("abcde")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 bytes encoded is longer than max-key-bytes (4 bytes)");
  }

  @Test
  void encode_unpairedSurrogates_giveDistinctKeys() {
    KeyCodec<String> codec = KeyCodec.forType("c", String.class);

    // UTF-8 would turn both into "?".
    assertThat(codec.encode("a\uD800")).isNotEqualTo(codec.encode("a\uDC00"))
        .isNotEqualTo(codec.encode("a?"));
  }

  @Test
  void encode_boxedPrimitives_roundTripAndAgreeWithEquals() {
    KeyCodec<Double> doubles = KeyCodec.forType("c", Double.class);
    KeyCodec<Character> chars = KeyCodec.forType("c", Character.class);
    KeyCodec<Long> longs = KeyCodec.forType("c", Long.class);

    assertThat(doubles.decode(doubles.encode(-0.0))).isEqualTo(-0.0);
    assertThat(doubles.encode(0.0)).isNotEqualTo(doubles.encode(-0.0));
    double otherNaN = Double.longBitsToDouble(0x7ff8000000000001L);
    assertThat(doubles.encode(Double.NaN)).isEqualTo(doubles.encode(otherNaN));
    assertThat(chars.decode(chars.encode('\uD800'))).isEqualTo('\uD800');
    assertThat(longs.decode(longs.encode(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void encode_serializableKeys_equalKeysGiveEqualBytes() {
    KeyCodec<Point> points = KeyCodec.forType("c", Point.class);
    KeyCodec<Color> colors = KeyCodec.forType("c", Color.class);
    KeyCodec<UUID> uuids = KeyCodec.forType("c", UUID.class);
    UUID id = UUID.randomUUID();

    assertThat(points.encode(new Point(1, 2))).isEqualTo(points.encode(new Point(1, 2)))
        .isNotEqualTo(points.encode(new Point(2, 1)));
    assertThat(points.decode(points.encode(new Point(1, 2)))).isEqualTo(new Point(1, 2));
    assertThat(colors.decode(colors.encode(Color.GREEN))).isSameAs(Color.GREEN);
    assertThat(uuids.decode(uuids.encode(id))).isEqualTo(id);
  }

  @Test
  void forType_keysThatCannotLiveOnDisk_areRefusedNamingCacheAndType() {
    assertThatThrownBy(() -> KeyCodec.forType("users", byte[].class))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("'users'").hasMessageContaining("[B")
        .hasMessageContaining("identity");
    assertThatThrownBy(() -> KeyCodec.forType("users", Thread.class))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("java.lang.Thread").hasMessageContaining("Serializable");
    assertThatThrownBy(() -> KeyCodec.forType("users", int.class))
        .isInstanceOf(CacheConfigException.class).hasMessageContaining("boxed");
  }

  @Test
  void encode_nullKey_throwsNullPointerException() {
    assertThatThrownBy(() -> KeyCodec.forType("c", String.class).encode(null))
        .isInstanceOf(NullPointerException.class);
  }
}
