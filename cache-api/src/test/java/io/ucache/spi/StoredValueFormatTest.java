package io.ucache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.ValueCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The stored-value format of issue 12: every flag combination round-trips, and every damaged,
 * truncated or foreign byte string decodes as {@link DecodedValue.Unreadable} without throwing.
 */
class StoredValueFormatTest {

  record Payload(String text) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private static final StoredValueFormat STRINGS =
      StoredValueFormat.framed(StoredValueFormat.CODEC_UTF8, String.class, String.class);
  private static final StoredValueFormat PAYLOADS =
      StoredValueFormat.framed(StoredValueFormat.CODEC_JAVA, String.class, Payload.class);
  private static final long WRITTEN = 1_700_000_000_123L;
  private static final long DEADLINE = 1_700_000_600_000L;

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] serialize(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }

  /** {@code bytes} with its trailing CRC32C recomputed: damage the checksum cannot see. */
  private static byte[] resealed(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    int value = (int) crc.getValue();
    for (int i = 0; i < 4; i++) {
      bytes[bytes.length - 4 + i] = (byte) (value >>> (24 - 8 * i));
    }
    return bytes;
  }

  private static DecodedValue.Entry entry(DecodedValue decoded) {
    assertThat(decoded).isInstanceOf(DecodedValue.Entry.class);
    return (DecodedValue.Entry) decoded;
  }

  private static String reason(DecodedValue decoded) {
    assertThat(decoded).isInstanceOf(DecodedValue.Unreadable.class);
    return ((DecodedValue.Unreadable) decoded).reason();
  }

  /** A sample of about 100 bytes with every option present. */
  private static byte[] sample() {
    return STRINGS.encode(utf8("a sample value of some length, é and 日本"), WRITTEN, DEADLINE,
        "orders:long-key-text");
  }

  @Test
  void encodeDecode_everyFlagCombination_roundTrips() {
    int combinations = 0;
    for (boolean isNull : new boolean[] {false, true}) {
      for (long written : new long[] {StoredValueFormat.NO_TIME, WRITTEN, 0, Long.MAX_VALUE}) {
        for (long deadline : new long[] {StoredValueFormat.NO_TIME, DEADLINE, -1}) {
          for (String key : new String[] {null, "", "k", "clé:日本:" + "x".repeat(300)}) {
            byte[] payload = isNull ? null : utf8("value é " + combinations);

            byte[] stored = STRINGS.encode(payload, written, deadline, key);
            DecodedValue.Entry entry = entry(STRINGS.decode(stored));

            assertThat(entry.isNull()).isEqualTo(isNull);
            assertThat(entry.payload()).isEqualTo(isNull ? new byte[0] : payload);
            assertThat(entry.framed()).isTrue();
            assertThat(entry.hasWriteTime()).isEqualTo(written != StoredValueFormat.NO_TIME);
            assertThat(entry.writeTime()).isEqualTo(written);
            assertThat(entry.hasDeadline()).isEqualTo(deadline != StoredValueFormat.NO_TIME);
            assertThat(entry.deadline()).isEqualTo(deadline);
            assertThat(entry.hasKeyText()).isEqualTo(key != null);
            assertThat(entry.keyText()).isEqualTo(key);
            combinations++;
          }
        }
      }
    }
    assertThat(combinations).isEqualTo(96);
  }

  @Test
  void encode_plainValue_isThe17ByteFramedLayout() {
    byte[] stored = STRINGS.encode(utf8("hi"));

    assertThat(stored).hasSize(2 + 17);
    assertThat(Arrays.copyOfRange(stored, 0, 5)).containsExactly(0xFF, 0x55, 1, 0, 1);
    // The type tags are the CRC32C of the class name: fixed forever, the same in every JVM.
    assertThat(StoredValueFormat.typeTag(String.class)).isEqualTo(0x682CE4B2);
    assertThat(StoredValueFormat.typeTag(Integer.class)).isEqualTo(0x4F3A205E);
    assertThat(Arrays.copyOfRange(stored, 5, 13))
        .containsExactly(0x68, 0x2C, 0xE4, 0xB2, 0x68, 0x2C, 0xE4, 0xB2);
    assertThat(Arrays.copyOfRange(stored, 13, 15)).containsExactly('h', 'i');
  }

  @Test
  void decode_hit_pointsIntoTheInputWithoutCopying() {
    byte[] stored = STRINGS.encode(utf8("value"));

    DecodedValue.Entry entry = entry(STRINGS.decode(stored));

    assertThat(entry.array()).isSameAs(stored);
    assertThat(new String(entry.array(), entry.payloadOffset(), entry.payloadLength(),
        StandardCharsets.UTF_8)).isEqualTo("value");
  }

  @Test
  void decode_rangeOfALargerArray_readsOnlyTheRange() {
    byte[] stored = STRINGS.encode(utf8("inside"), WRITTEN, StoredValueFormat.NO_TIME, "k");
    byte[] larger = new byte[stored.length + 10];
    Arrays.fill(larger, (byte) 0x7A);
    System.arraycopy(stored, 0, larger, 3, stored.length);

    DecodedValue.Entry entry = entry(STRINGS.decode(larger, 3, stored.length));

    assertThat(entry.payload()).isEqualTo(utf8("inside"));
    assertThat(entry.keyText()).isEqualTo("k");
    assertThat(reason(STRINGS.decode(larger, 2, stored.length))).contains("foreign");
  }

  @Test
  void decode_everySingleBitFlip_unreadable() {
    byte[] sample = sample();
    assertThat(sample.length).isBetween(90, 130);

    for (int bit = 0; bit < sample.length * 8; bit++) {
      byte[] flipped = sample.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));

      assertThat(STRINGS.decode(flipped)).as("bit %d flipped", bit)
          .isInstanceOf(DecodedValue.Unreadable.class);
    }
  }

  @Test
  void decode_everyTruncation_unreadable() {
    byte[] sample = sample();

    for (int length = 0; length < sample.length; length++) {
      assertThat(STRINGS.decode(Arrays.copyOf(sample, length))).as("first %d bytes", length)
          .isInstanceOf(DecodedValue.Unreadable.class);
      assertThat(STRINGS.decode(sample, 0, length)).isInstanceOf(DecodedValue.Unreadable.class);
    }
  }

  /** The cases of the test kit's {@code HostileBytes}, and the Redis defect-3 pattern. */
  private static Map<String, byte[]> hostile() {
    Map<String, byte[]> cases = new LinkedHashMap<>();
    cases.put("foreign", utf8("written by another program"));
    cases.put("foreign-header", new byte[] {(byte) 0xFF, 0x7F, 1, 2, 3});
    byte[] payload = serialize(new Payload("whole"));
    cases.put("java-stream", payload);
    cases.put("truncated", Arrays.copyOf(payload, payload.length / 2));
    byte[] defect3 = new byte[15];
    defect3[0] = (byte) 0xFF;
    defect3[1] = 0x01;
    Arrays.fill(defect3, 2, 15, (byte) 'x');
    cases.put("FF 01 + 13 non-digits", defect3);
    byte[] legacyNull = {(byte) 0xFF, 0x00};
    cases.put("legacy Redis null marker", legacyNull);
    cases.put("empty", new byte[0]);
    cases.put("zeros", new byte[64]);
    byte[] ones = new byte[64];
    Arrays.fill(ones, (byte) 0xFF);
    cases.put("ones", ones);
    cases.put("magic only", new byte[] {(byte) 0xFF, 0x55});
    return cases;
  }

  @Test
  void decode_foreignBytePatterns_unreadableNeverThrow() {
    hostile().forEach((name, bytes) -> assertThat(PAYLOADS.decode(bytes)).as(name)
        .isInstanceOf(DecodedValue.Unreadable.class));
    assertThat(reason(PAYLOADS.decode(hostile().get("FF 01 + 13 non-digits"))))
        .contains("foreign");
    assertThat(reason(PAYLOADS.decode(hostile().get("magic only")))).contains("truncated");
  }

  @Test
  void decode_otherValueType_otherTypeNotUnreadable() {
    StoredValueFormat integers =
        StoredValueFormat.framed(StoredValueFormat.CODEC_UTF8, String.class, Integer.class);

    assertThat(integers.decode(STRINGS.encode(utf8("1")))).isSameAs(DecodedValue.OTHER_TYPE);
  }

  @Test
  void decode_otherKeyType_otherType() {
    StoredValueFormat integerKeys =
        StoredValueFormat.framed(StoredValueFormat.CODEC_UTF8, Integer.class, String.class);

    assertThat(integerKeys.decode(STRINGS.encode(utf8("1")))).isSameAs(DecodedValue.OTHER_TYPE);
    // A cached null of another key type is another process's entry too.
    assertThat(integerKeys.decode(STRINGS.encode(null, StoredValueFormat.NO_TIME,
        StoredValueFormat.NO_TIME, null))).isSameAs(DecodedValue.OTHER_TYPE);
  }

  @Test
  void decode_otherKnownCodec_otherType() {
    StoredValueFormat java =
        StoredValueFormat.framed(StoredValueFormat.CODEC_JAVA, String.class, String.class);

    assertThat(java.decode(STRINGS.encode(utf8("1")))).isSameAs(DecodedValue.OTHER_TYPE);
  }

  @Test
  void decode_wellSealedButUnknownVersionCodecOrFlags_unreadableWithReason() {
    byte[] version = STRINGS.encode(utf8("v"));
    version[2] = 2;
    byte[] codec = STRINGS.encode(utf8("v"));
    codec[4] = 6;
    byte[] flags = STRINGS.encode(utf8("v"));
    flags[3] = 0x10;

    assertThat(reason(STRINGS.decode(resealed(version)))).contains("version");
    assertThat(reason(STRINGS.decode(resealed(codec)))).contains("codec");
    assertThat(reason(STRINGS.decode(resealed(flags)))).contains("flags");
  }

  @Test
  void decode_wellSealedLengthsOutOfRange_unreadable() {
    byte[] keyText = STRINGS.encode(utf8("v"), StoredValueFormat.NO_TIME,
        StoredValueFormat.NO_TIME, "key");
    keyText[13] = 0x7F; // key text length 2^31 - ..., far past the input
    byte[] negative = STRINGS.encode(utf8("v"), StoredValueFormat.NO_TIME,
        StoredValueFormat.NO_TIME, "key");
    negative[13] = (byte) 0x80;
    byte[] nullWithPayload = STRINGS.encode(utf8("v"));
    nullWithPayload[3] = 0x01;
    byte[] timeMissing = STRINGS.encode(utf8("v"));
    timeMissing[3] = 0x06; // claims a write time and a deadline; 1 byte of payload is there

    long before = allocated();
    for (byte[] bytes : new byte[][] {keyText, negative, nullWithPayload, timeMissing}) {
      assertThat(reason(STRINGS.decode(resealed(bytes)))).contains("length");
    }
    assertThat(allocated() - before).as("bytes allocated").isLessThan(64 * 1024);
  }

  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  @Test
  void framed_unknownCodecId_refused() {
    assertThatThrownBy(() -> StoredValueFormat.framed(0, String.class, String.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("codec id 0");
    assertThatThrownBy(() -> StoredValueFormat.framed(64, String.class, String.class))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builtInCodecIds_matchTheFormatsConstants() {
    assertThat(ValueCodec.utf8().id()).isEqualTo(StoredValueFormat.CODEC_UTF8);
    assertThat(ValueCodec.bytes().id()).isEqualTo(StoredValueFormat.CODEC_BYTES);
    assertThat(ValueCodec.text(Long.class).id()).isEqualTo(StoredValueFormat.CODEC_TEXT);
    assertThat(ValueCodec.java(Payload.class).id()).isEqualTo(StoredValueFormat.CODEC_JAVA);
    ValueCodec<String> own = new ValueCodec<>() {
      @Override
      public byte[] encode(String value) {
        return utf8(value);
      }

      @Override
      public String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
      }
    };
    assertThat(own.id()).isEqualTo(StoredValueFormat.CODEC_APPLICATION);
  }

  // --- plain ----------------------------------------------------------------------------------

  private static final StoredValueFormat PLAIN =
      StoredValueFormat.plain(StoredValueFormat.CODEC_UTF8, String.class, String.class);

  @Test
  void plain_bareValue_storedAsItsUtf8SoOtherClientsReadIt() {
    byte[] payload = utf8("héllo");

    byte[] stored = PLAIN.encode(payload);
    DecodedValue.Entry entry = entry(PLAIN.decode(stored));

    assertThat(stored).isEqualTo(utf8("héllo"));
    assertThat(entry.framed()).isFalse();
    assertThat(entry.payload()).isEqualTo(payload);
    assertThat(entry(PLAIN.decode(utf8("set by redis-cli"))).payload())
        .isEqualTo(utf8("set by redis-cli"));
  }

  @Test
  void plain_valuesNeedingAHeader_framedAndReadBack() {
    for (byte @Nullable [] payload : new byte[][] {null, utf8("v")}) {
      byte[] stored = PLAIN.encode(payload, WRITTEN, StoredValueFormat.NO_TIME, "k");
      DecodedValue.Entry entry = entry(PLAIN.decode(stored));

      assertThat(stored[0]).isEqualTo((byte) 0xFF);
      assertThat(entry.framed()).isTrue();
      assertThat(entry.isNull()).isEqualTo(payload == null);
      assertThat(entry.writeTime()).isEqualTo(WRITTEN);
      assertThat(entry.keyText()).isEqualTo("k");
    }
    assertThat(entry(PLAIN.decode(PLAIN.encode(null, StoredValueFormat.NO_TIME,
        StoredValueFormat.NO_TIME, null))).isNull()).isTrue();
  }

  @Test
  void plain_andFramedReaders_readEachOthersFramedValues() {
    byte[] framed = STRINGS.encode(utf8("v"));

    assertThat(entry(PLAIN.decode(framed)).payload()).isEqualTo(utf8("v"));
    assertThat(reason(STRINGS.decode(PLAIN.encode(utf8("v"))))).contains("foreign");
  }

  @Test
  void plain_bytesThatAreNotUtf8_unreadableNeverThrow() {
    Map<String, byte[]> cases = hostile();
    cases.remove("foreign"); // text: the trade-off of plain values, documented
    cases.remove("empty"); // the empty string
    cases.remove("zeros"); // 64 NUL characters are UTF-8 text
    cases.put("overlong", new byte[] {(byte) 0xC0, (byte) 0x80});
    cases.put("surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
    cases.put("past U+10FFFF", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80});
    cases.put("cut character", new byte[] {'a', (byte) 0xE6, (byte) 0x97});

    cases.forEach((name, bytes) -> assertThat(PLAIN.decode(bytes)).as(name)
        .isInstanceOf(DecodedValue.Unreadable.class));
  }

  @Test
  void plain_textThatIsNotUtf8Valid_isFramedSoItReadsBack() {
    byte[] notText = {(byte) 0xC3};

    assertThat(entry(PLAIN.decode(PLAIN.encode(notText))).payload()).containsExactly(0xC3);
  }

  @Test
  void plain_nonTextCodec_refused() {
    assertThatThrownBy(() -> StoredValueFormat.plain(StoredValueFormat.CODEC_JAVA, String.class,
        Payload.class)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text");
  }
}
