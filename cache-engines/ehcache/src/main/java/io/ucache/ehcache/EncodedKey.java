package io.ucache.ehcache;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.ehcache.spi.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * A key as Ehcache stores it: the bytes its {@link KeyCodec} made, compared and hashed by
 * content. Keys on disk outlive the JVM, so their identity cannot rest on {@code hashCode()},
 * which for an enum or a class that does not override it differs from one JVM to the next; bytes
 * are the same in every JVM. Immutable: nobody writes to {@link #bytes}.
 */
final class EncodedKey {

  /** Writes and reads the bytes as they are. */
  static final Serializer<EncodedKey> SERIALIZER = new Serializer<>() {
    @Override
    public ByteBuffer serialize(EncodedKey key) {
      return ByteBuffer.wrap(key.bytes).asReadOnlyBuffer();
    }

    @Override
    public EncodedKey read(ByteBuffer binary) {
      byte[] bytes = new byte[binary.remaining()];
      binary.get(bytes);
      return new EncodedKey(bytes);
    }

    @Override
    public boolean equals(EncodedKey key, ByteBuffer binary) {
      return ByteBuffer.wrap(key.bytes).equals(binary);
    }

    @Override
    public String toString() {
      return "EncodedKey.SERIALIZER";
    }
  };

  final byte[] bytes;
  private final int hash;

  EncodedKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof EncodedKey other && hash == other.hash && Arrays.equals(bytes, other.bytes);
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
