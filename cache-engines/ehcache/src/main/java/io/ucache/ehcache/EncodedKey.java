package io.ucache.ehcache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.ehcache.spi.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * A key as Ehcache stores it: the bytes its {@link KeyCodec} made, compared and hashed by
 * content. Keys on disk outlive the JVM, so their identity cannot rest on {@code hashCode()},
 * which for an enum or a class that does not override it differs from one JVM to the next; bytes
 * are the same in every JVM.
 *
 * <p><b>Two forms, one per byte sequence.</b> Ehcache holds a key ({@link #of}) as a
 * {@code String} when each of its bytes is ASCII other than NUL, the bytes being the string's
 * characters one for one, and as an {@code EncodedKey} otherwise. A String key of that kind
 * (most are) is then stored as itself: a heap-tier hit encodes nothing and allocates nothing, as
 * raw Ehcache with String keys does. The forms never overlap, so equal bytes are always equal
 * keys; a String's hash is the same in every JVM, as the disk tier needs.
 *
 * <p>Immutable: nobody writes to the bytes. The static methods take a store key of either form.
 */
final class EncodedKey {

  /** Writes either form as its bytes; reads bytes back into the form {@link #of} gives them. */
  static final Serializer<Object> SERIALIZER = new Serializer<>() {
    @Override
    public ByteBuffer serialize(Object key) {
      return ByteBuffer.wrap(bytes(key)).asReadOnlyBuffer();
    }

    @Override
    public Object read(ByteBuffer binary) {
      byte[] bytes = new byte[binary.remaining()];
      binary.get(bytes);
      return of(bytes);
    }

    @Override
    public boolean equals(Object key, ByteBuffer binary) {
      return ByteBuffer.wrap(bytes(key)).equals(binary);
    }

    @Override
    public String toString() {
      return "EncodedKey.SERIALIZER";
    }
  };

  private final byte[] bytes;
  private final int hash;

  private EncodedKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** The store key whose bytes are {@code bytes}: a String if {@link #isText}, else bytes. */
  static Object of(byte[] bytes) {
    for (byte b : bytes) {
      if (b <= 0) { // NUL, or a byte of a multi-byte character
        return new EncodedKey(bytes);
      }
    }
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /**
   * Whether {@code text} is its own store key: each character ASCII other than NUL (which
   * modified UTF-8 writes as two bytes). Allocates nothing.
   */
  static boolean isText(String text) {
    for (int i = 0, length = text.length(); i < length; i++) {
      char c = text.charAt(i);
      if (c == 0 || c >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** The bytes of a store key of either form. */
  static byte[] bytes(Object key) {
    return key instanceof String text ? text.getBytes(StandardCharsets.ISO_8859_1)
        : ((EncodedKey) key).bytes;
  }

  /** How many bytes a store key of either form has. */
  static int length(Object key) {
    return key instanceof String text ? text.length() : ((EncodedKey) key).bytes.length;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof EncodedKey other && hash == other.hash
        && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "EncodedKey[" + bytes.length + " bytes]";
  }
}
