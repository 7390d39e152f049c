package io.ucache.spi;

/** Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF). */
final class Utf8 {

  private Utf8() {}

  /** Whether {@code bytes[offset .. offset + length)} is well-formed UTF-8. */
  static boolean isValid(byte[] bytes, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xFF;
      if (b < 0xC2) {
        return false; // a continuation byte, or an overlong two-byte form
      } else if (b < 0xE0) {
        if (end - i < 2 || !continuation(bytes[i + 1])) {
          return false;
        }
        i += 2;
      } else if (b < 0xF0) {
        if (end - i < 3 || !continuation(bytes[i + 1]) || !continuation(bytes[i + 2])) {
          return false;
        }
        int b1 = bytes[i + 1] & 0xFF;
        if ((b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 >= 0xA0)) {
          return false; // overlong, or a UTF-16 surrogate
        }
        i += 3;
      } else if (b < 0xF5) {
        if (end - i < 4 || !continuation(bytes[i + 1]) || !continuation(bytes[i + 2])
            || !continuation(bytes[i + 3])) {
          return false;
        }
        int b1 = bytes[i + 1] & 0xFF;
        if ((b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 >= 0x90)) {
          return false; // overlong, or past U+10FFFF
        }
        i += 4;
      } else {
        return false;
      }
    }
    return true;
  }

  private static boolean continuation(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
