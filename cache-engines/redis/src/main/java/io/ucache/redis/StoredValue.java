package io.ucache.redis;

import io.ucache.CacheSerializationException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of one Redis value. Most values are their codec's bytes exactly, so a String is
 * plain UTF-8 that redis-cli and other languages read. The byte 0xFF, which no UTF-8 text, decimal
 * number or Java serialization stream starts with, opens a header:
 *
 * <ul>
 *   <li>{@code FF 00}: a cached null (never ambiguous with a value);
 *   <li>{@code FF FF} + bytes: a value whose own bytes start with 0xFF (raw {@code byte[]});
 *   <li>{@code FF 01} + 13 decimal digits + rest: an absolute deadline in epoch milliseconds,
 *       for caches with both {@code ttl} and {@code expire-after-access};
 *   <li>{@code FF 02} + 4-byte length + UTF-8 key text + rest: the key of a hashed Redis key.
 * </ul>
 *
 * Static helpers only; thread-safe.
 */
final class StoredValue {

  static final byte MARK = (byte) 0xFF;
  private static final byte NULL = 0x00;
  private static final byte DEADLINE = 0x01;
  private static final byte KEY = 0x02;
  private static final int DEADLINE_DIGITS = 13;

  private StoredValue() {}

  /** A decoded Redis value: the value bytes ({@code null} for a cached null) and its headers. */
  record Parts(byte @Nullable [] body, long deadline, @Nullable String key) {}

  static byte[] encode(byte @Nullable [] body, long deadline, @Nullable String key) {
    byte[] out = body == null ? new byte[] {MARK, NULL}
        : body.length > 0 && body[0] == MARK ? concat(new byte[] {MARK}, body) : body;
    if (key != null) {
      byte[] text = key.getBytes(StandardCharsets.UTF_8);
      byte[] header = new byte[6 + text.length];
      header[0] = MARK;
      header[1] = KEY;
      header[2] = (byte) (text.length >>> 24);
      header[3] = (byte) (text.length >>> 16);
      header[4] = (byte) (text.length >>> 8);
      header[5] = (byte) text.length;
      System.arraycopy(text, 0, header, 6, text.length);
      out = concat(header, out);
    }
    if (deadline > 0) {
      String digits = String.format("%0" + DEADLINE_DIGITS + "d", deadline);
      out = concat(concat(new byte[] {MARK, DEADLINE}, digits.getBytes(StandardCharsets.US_ASCII)),
          out);
    }
    return out;
  }

  static Parts decode(byte[] stored) {
    long deadline = 0;
    String key = null;
    int at = 0;
    while (true) {
      if (stored.length - at < 2 || stored[at] != MARK) {
        return new Parts(Arrays.copyOfRange(stored, at, stored.length), deadline, key);
      }
      byte kind = stored[at + 1];
      if (kind == MARK) {
        return new Parts(Arrays.copyOfRange(stored, at + 1, stored.length), deadline, key);
      }
      if (kind == NULL && stored.length - at == 2) {
        return new Parts(null, deadline, key);
      }
      if (kind == DEADLINE && stored.length - at >= 2 + DEADLINE_DIGITS) {
        deadline = Long.parseLong(new String(stored, at + 2, DEADLINE_DIGITS,
            StandardCharsets.US_ASCII));
        at += 2 + DEADLINE_DIGITS;
        continue;
      }
      if (kind == KEY && stored.length - at >= 6) {
        int length = ((stored[at + 2] & 0xFF) << 24) | ((stored[at + 3] & 0xFF) << 16)
            | ((stored[at + 4] & 0xFF) << 8) | (stored[at + 5] & 0xFF);
        if (length >= 0 && stored.length - at - 6 >= length) {
          key = new String(stored, at + 6, length, StandardCharsets.UTF_8);
          at += 6 + length;
          continue;
        }
      }
      throw new CacheSerializationException("A Redis value starts with the byte 0xFF but no "
          + "header UCache writes: it was written by another program");
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
