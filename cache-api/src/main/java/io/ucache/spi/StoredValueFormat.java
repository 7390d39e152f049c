package io.ucache.spi;

import io.ucache.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The one byte format of stored values, for every engine that stores bytes (disk, Redis, any
 * later one). One instance per cache, built once from the cache's codec and its declared key and
 * value types; {@link #encode} frames a codec's bytes, {@link #decode} checks stored bytes and
 * says what they are (a {@link DecodedValue}). It knows no engine: where the bytes live, and what
 * a miss, a delete or a warning means, is the engine's business.
 *
 * <h2>Framed values (version 1)</h2>
 *
 * <pre>
 * offset  bytes  field
 *      0      2  magic FF 55 ("\xFFU"): 0xFF never starts UTF-8 text, a number or a Java stream
 *      2      1  format version, 01
 *      3      1  flags: 01 cached null, 02 write time, 04 deadline, 08 key text; others 0
 *      4      1  codec id ({@code ValueCodec.id()}): 1 utf8, 2 bytes, 3 text, 4 java, 5 json,
 *                128-255 an application's own
 *      5      4  key type tag   (big-endian; {@link #typeTag}: CRC32C of the class name)
 *      9      4  value type tag
 *     13     [8] write time, epoch ms          if flag 02
 *            [8] deadline, the writer's clock  if flag 04
 *            [4] key text length n, then n bytes of UTF-8  if flag 08
 *            ... payload: the codec's bytes (none for a cached null)
 *    end-4    4  CRC32C of every byte before it (header, options and payload)
 * </pre>
 *
 * A framed value costs 17 bytes more than its payload (plus 8 per time and 4 + n for a key
 * text). Example: the String {@code "hi"} in a {@code String -> String} cache is
 * {@code FF 55 01 00 01 <tag(String)> <tag(String)> 68 69 <crc>}, 19 bytes.
 *
 * <h2>Plain values</h2>
 *
 * A cache whose values are text ({@code ValueCodec.utf8()} or {@code ValueCodec.text(..)}) may
 * be built {@link #plain plain}: a value without a time, deadline or key text is stored as its
 * bare UTF-8, so {@code redis-cli GET} shows it and other programs read and write it. The price:
 * a bare value has no header, so nothing tells a foreign or damaged text from a real one beyond
 * UTF-8 validity (bytes that are not UTF-8 are still unreadable), and a text of another value
 * type is not recognised as such (the codec fails, and the caller treats that as unreadable).
 * Values that need a header (cached nulls, write times, deadlines, key texts) are framed even in
 * a plain cache, and a plain reader reads framed values (0xFF starts no UTF-8 text). Framed is
 * the default and the one to choose unless other programs must read the values.
 *
 * <h2>Decoding</h2>
 *
 * {@link #decode} never throws on bad bytes and never allocates in proportion to a length
 * field: every length is checked against the bytes actually there. A hit costs one CRC32C
 * pass (hardware-accelerated) and one small {@link DecodedValue.Entry} pointing into the input;
 * nothing is copied and no text is built (the key text is decoded only when asked for).
 *
 * <p><b>Thread-safety:</b> immutable and thread-safe. <b>Nulls:</b> only where marked
 * {@code @Nullable}; a {@code null} payload in {@link #encode} is a cached null.
 */
public final class StoredValueFormat {

  /** The time a {@link #encode} caller passes, and an entry returns, for "none". */
  public static final long NO_TIME = Long.MIN_VALUE;
  /** The format version this class writes and reads. */
  public static final int VERSION = 1;

  /** {@code ValueCodec.utf8()}. */
  public static final int CODEC_UTF8 = 1;
  /** {@code ValueCodec.bytes()}. */
  public static final int CODEC_BYTES = 2;
  /** {@code ValueCodec.text(type)}: boxed primitives as decimal text. */
  public static final int CODEC_TEXT = 3;
  /** {@code ValueCodec.java(type)}: Java serialization. */
  public static final int CODEC_JAVA = 4;
  /** Reserved for a JSON codec. */
  public static final int CODEC_JSON = 5;
  /** The first id of an application's own codecs (up to 255). */
  public static final int CODEC_APPLICATION = 128;

  static final byte MAGIC_0 = (byte) 0xFF;
  static final byte MAGIC_1 = 0x55;
  static final int NULL = 0x01;
  static final int WRITE_TIME = 0x02;
  static final int DEADLINE = 0x04;
  static final int KEY_TEXT = 0x08;
  private static final int KNOWN_FLAGS = NULL | WRITE_TIME | DEADLINE | KEY_TEXT;
  static final int HEADER = 13;
  static final int CHECKSUM = 4;

  // Fixed reasons: a failed decode builds no text.
  static final DecodedValue.Unreadable FOREIGN =
      new DecodedValue.Unreadable("foreign bytes: no UCache header");
  static final DecodedValue.Unreadable TRUNCATED =
      new DecodedValue.Unreadable("truncated: shorter than a UCache header");
  static final DecodedValue.Unreadable UNKNOWN_VERSION =
      new DecodedValue.Unreadable("unknown format version");
  static final DecodedValue.Unreadable BAD_CHECKSUM =
      new DecodedValue.Unreadable("checksum mismatch: corrupt or truncated");
  static final DecodedValue.Unreadable UNKNOWN_FLAGS =
      new DecodedValue.Unreadable("unknown flags");
  static final DecodedValue.Unreadable UNKNOWN_CODEC =
      new DecodedValue.Unreadable("unknown codec id");
  static final DecodedValue.Unreadable BAD_LENGTH =
      new DecodedValue.Unreadable("lengths out of range");
  static final DecodedValue.Unreadable NOT_UTF8 =
      new DecodedValue.Unreadable("not UTF-8 text");

  private final boolean plain;
  private final int codecId;
  private final int keyTag;
  private final int valueTag;
  private final String description;

  private StoredValueFormat(boolean plain, int codecId, Class<?> keyType, ValueType<?> valueType,
      int codecVersion) {
    if (!knownCodec(codecId)) {
      throw new IllegalArgumentException("codec id " + codecId + " is neither one of UCache's "
          + "(1 to 5) nor an application's (128 to 255)");
    }
    this.plain = plain;
    this.codecId = codecId;
    this.keyTag = typeTag(keyType);
    this.valueTag = valueTag(valueType, codecVersion);
    this.description = "StoredValueFormat[" + (plain ? "plain" : "framed") + ", codec "
        + codecId + ", " + keyType.getName() + " -> " + valueType
        + (codecVersion == 0 ? "" : ", codec-version " + codecVersion) + "]";
  }

  /**
   * The framed format (the default) of a cache whose values the codec {@code codecId} encodes.
   *
   * @throws IllegalArgumentException if {@code codecId} is not a known codec id
   */
  public static StoredValueFormat framed(int codecId, Class<?> keyType, Class<?> valueType) {
    return framed(codecId, keyType, ValueType.of(valueType), 0);
  }

  /**
   * The framed format of a cache whose values, of the generic type {@code valueType}, the codec
   * {@code codecId} encodes, at the cache's {@code codec-version}: values written under another
   * version, or of another shape of the application's classes ({@link ValueType#shape()}), have
   * another value type tag, so they are other types to this cache (misses, replaced by loads).
   *
   * @throws IllegalArgumentException if {@code codecId} is not a known codec id
   */
  public static StoredValueFormat framed(int codecId, Class<?> keyType, ValueType<?> valueType,
      int codecVersion) {
    return new StoredValueFormat(false, codecId, Objects.requireNonNull(keyType, "keyType"),
        Objects.requireNonNull(valueType, "valueType"), codecVersion);
  }

  /**
   * The plain format of a text cache: bare UTF-8 where no header is needed (see the class
   * comment for the trade-off).
   *
   * @throws IllegalArgumentException unless {@code codecId} is {@link #CODEC_UTF8} or
   *     {@link #CODEC_TEXT}, whose bytes are UTF-8 text
   */
  public static StoredValueFormat plain(int codecId, Class<?> keyType, Class<?> valueType) {
    return plain(codecId, keyType, ValueType.of(valueType), 0);
  }

  /** {@link #plain(int, Class, Class)} at a {@code codec-version}, as {@link #framed} has it. */
  public static StoredValueFormat plain(int codecId, Class<?> keyType, ValueType<?> valueType,
      int codecVersion) {
    if (codecId != CODEC_UTF8 && codecId != CODEC_TEXT) {
      throw new IllegalArgumentException("plain values need a text codec (utf8 or text), not "
          + "codec id " + codecId);
    }
    return new StoredValueFormat(true, codecId, Objects.requireNonNull(keyType, "keyType"),
        Objects.requireNonNull(valueType, "valueType"), codecVersion);
  }

  /**
   * The value type tag of {@code valueType} at {@code codecVersion}: the CRC32C, in UTF-8, of its
   * {@linkplain ValueType#name() name}, then {@code |} and its {@linkplain ValueType#shape()
   * shape} when it reaches classes of the application, then {@code |v} and the version when not
   * 0. A plain JDK class at version 0 has the tag {@link #typeTag} gives its class.
   */
  public static int valueTag(ValueType<?> valueType, int codecVersion) {
    String shape = valueType.shape();
    return crc32c(valueType.name() + (shape.isEmpty() ? "" : "|" + shape)
        + (codecVersion == 0 ? "" : "|v" + codecVersion));
  }

  /**
   * The type tag of {@code type}: the CRC32C of its binary name ({@link Class#getName()}) in
   * UTF-8, the same in every JVM and on every host. Primitive and boxed types differ.
   */
  public static int typeTag(Class<?> type) {
    return crc32c(type.getName());
  }

  private static int crc32c(String text) {
    CRC32C crc = new CRC32C();
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    crc.update(bytes, 0, bytes.length);
    return (int) crc.getValue();
  }

  /** Whether values without a header are written bare (a {@link #plain} format). */
  public boolean isPlain() {
    return plain;
  }

  /** The codec id this format writes and expects. */
  public int codecId() {
    return codecId;
  }

  /** {@code payload} as a plain value with no options; see {@link #encode(byte[], long, long, String)}. */
  public byte[] encode(byte[] payload) {
    return encode(Objects.requireNonNull(payload, "payload"), NO_TIME, NO_TIME, null);
  }

  /**
   * The stored bytes of a value.
   *
   * @param payload the codec's bytes, or {@code null} for a cached null. A plain format may
   *     return this very array (a bare value), so the caller must not change it afterwards
   * @param writeTime when the value is written, in epoch milliseconds, or {@link #NO_TIME}
   * @param deadline when it must be gone, in the caller's clock, or {@link #NO_TIME}
   * @param keyText the original key, for engines that store long keys hashed, or {@code null}
   * @throws IllegalArgumentException if the value would exceed the largest Java array
   */
  public byte[] encode(byte @Nullable [] payload, long writeTime, long deadline,
      @Nullable String keyText) {
    if (plain && payload != null && writeTime == NO_TIME && deadline == NO_TIME
        && keyText == null && Utf8.isValid(payload, 0, payload.length)) {
      return payload;
    }
    byte[] key = keyText == null ? null : keyText.getBytes(StandardCharsets.UTF_8);
    int payloadLength = payload == null ? 0 : payload.length;
    long size = (long) HEADER + CHECKSUM + payloadLength + (writeTime == NO_TIME ? 0 : 8)
        + (deadline == NO_TIME ? 0 : 8) + (key == null ? 0 : 4L + key.length);
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a stored value of " + size + " bytes is too long");
    }
    byte[] out = new byte[(int) size];
    int flags = (payload == null ? NULL : 0) | (writeTime == NO_TIME ? 0 : WRITE_TIME)
        | (deadline == NO_TIME ? 0 : DEADLINE) | (key == null ? 0 : KEY_TEXT);
    out[0] = MAGIC_0;
    out[1] = MAGIC_1;
    out[2] = VERSION;
    out[3] = (byte) flags;
    out[4] = (byte) codecId;
    putInt(out, 5, keyTag);
    putInt(out, 9, valueTag);
    int at = HEADER;
    if (writeTime != NO_TIME) {
      putLong(out, at, writeTime);
      at += 8;
    }
    if (deadline != NO_TIME) {
      putLong(out, at, deadline);
      at += 8;
    }
    if (key != null) {
      putInt(out, at, key.length);
      System.arraycopy(key, 0, out, at + 4, key.length);
      at += 4 + key.length;
    }
    if (payload != null) {
      System.arraycopy(payload, 0, out, at, payload.length);
    }
    CRC32C crc = new CRC32C();
    crc.update(out, 0, out.length - CHECKSUM);
    putInt(out, out.length - CHECKSUM, (int) crc.getValue());
    return out;
  }

  /** {@link #decode(byte[], int, int)} of the whole array. */
  public DecodedValue decode(byte[] stored) {
    return decode(stored, 0, stored.length);
  }

  /**
   * What {@code stored[offset .. offset + length)} holds. Never throws on bad bytes: see
   * {@link DecodedValue} for the three outcomes. The entry returned points into {@code stored}.
   *
   * @throws IndexOutOfBoundsException if the range is not inside {@code stored} (a caller's bug)
   */
  public DecodedValue decode(byte[] stored, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, stored.length);
    if (plain && (length == 0 || stored[offset] != MAGIC_0)) {
      return Utf8.isValid(stored, offset, length)
          ? new DecodedValue.Entry(stored, offset, length, false, false, NO_TIME, NO_TIME, 0, -1)
          : NOT_UTF8;
    }
    if (length < HEADER + CHECKSUM) {
      boolean startsLikeOurs = length > 0 && stored[offset] == MAGIC_0
          && (length == 1 || stored[offset + 1] == MAGIC_1);
      return startsLikeOurs ? TRUNCATED : FOREIGN;
    }
    if (stored[offset] != MAGIC_0 || stored[offset + 1] != MAGIC_1) {
      return FOREIGN;
    }
    if (stored[offset + 2] != VERSION) {
      return UNKNOWN_VERSION;
    }
    int end = offset + length - CHECKSUM;
    CRC32C crc = new CRC32C();
    crc.update(stored, offset, length - CHECKSUM);
    if ((int) crc.getValue() != getInt(stored, end)) {
      return BAD_CHECKSUM;
    }
    int flags = stored[offset + 3] & 0xFF;
    if ((flags & ~KNOWN_FLAGS) != 0) {
      return UNKNOWN_FLAGS;
    }
    int codec = stored[offset + 4] & 0xFF;
    if (!knownCodec(codec)) {
      return UNKNOWN_CODEC;
    }
    int at = offset + HEADER;
    long writeTime = NO_TIME;
    long deadline = NO_TIME;
    int keyTextOffset = 0;
    int keyTextLength = -1;
    if ((flags & WRITE_TIME) != 0) {
      if (end - at < 8) {
        return BAD_LENGTH;
      }
      writeTime = getLong(stored, at);
      at += 8;
    }
    if ((flags & DEADLINE) != 0) {
      if (end - at < 8) {
        return BAD_LENGTH;
      }
      deadline = getLong(stored, at);
      at += 8;
    }
    if ((flags & KEY_TEXT) != 0) {
      if (end - at < 4) {
        return BAD_LENGTH;
      }
      keyTextLength = getInt(stored, at);
      if (keyTextLength < 0 || keyTextLength > end - at - 4) {
        return BAD_LENGTH;
      }
      keyTextOffset = at + 4;
      at = keyTextOffset + keyTextLength;
    }
    boolean cachedNull = (flags & NULL) != 0;
    if (cachedNull && at != end) {
      return BAD_LENGTH;
    }
    if (codec != codecId || getInt(stored, offset + 5) != keyTag
        || getInt(stored, offset + 9) != valueTag) {
      return DecodedValue.OTHER_TYPE;
    }
    return new DecodedValue.Entry(stored, at, end - at, cachedNull, true, writeTime, deadline,
        keyTextOffset, keyTextLength);
  }

  /**
   * The deadline {@link #encode} wrote into {@code encoded}, or {@link #NO_TIME} if none (or the
   * bytes are plain). For a writer about to store what it just encoded: nothing is checked, so
   * never call it on bytes read back from storage; {@link #decode} is for those.
   */
  public static long deadlineOf(byte[] encoded) {
    if (encoded.length < HEADER + CHECKSUM || encoded[0] != MAGIC_0 || encoded[1] != MAGIC_1
        || (encoded[3] & DEADLINE) == 0) {
      return NO_TIME;
    }
    return getLong(encoded, HEADER + ((encoded[3] & WRITE_TIME) != 0 ? 8 : 0));
  }

  private static boolean knownCodec(int id) {
    return (id >= CODEC_UTF8 && id <= CODEC_JSON) || (id >= CODEC_APPLICATION && id <= 255);
  }

  private static void putInt(byte[] out, int at, int value) {
    out[at] = (byte) (value >>> 24);
    out[at + 1] = (byte) (value >>> 16);
    out[at + 2] = (byte) (value >>> 8);
    out[at + 3] = (byte) value;
  }

  private static void putLong(byte[] out, int at, long value) {
    putInt(out, at, (int) (value >>> 32));
    putInt(out, at + 4, (int) value);
  }

  private static int getInt(byte[] in, int at) {
    return ((in[at] & 0xFF) << 24) | ((in[at + 1] & 0xFF) << 16) | ((in[at + 2] & 0xFF) << 8)
        | (in[at + 3] & 0xFF);
  }

  private static long getLong(byte[] in, int at) {
    return ((long) getInt(in, at) << 32) | (getInt(in, at + 4) & 0xFFFFFFFFL);
  }

  @Override
  public String toString() {
    return description;
  }
}
