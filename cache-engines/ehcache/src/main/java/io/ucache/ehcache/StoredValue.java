package io.ucache.ehcache;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.ehcache.spi.serialization.Serializer;
import org.ehcache.spi.serialization.SerializerException;
import org.jspecify.annotations.Nullable;

/**
 * An entry's value as Ehcache stores it: a kind (a value, or a cached {@code null}, which thus
 * never looks like "absent"), the deadline it must be gone by, and the value's bytes from its
 * {@link io.ucache.ValueCodec}.
 *
 * <p>The deadline, in {@link EngineClock} milliseconds ({@link #NO_DEADLINE} for none), is the
 * write TTL or the per-entry TTL. Ehcache's expiry keeps an entry's expiration time too, but an
 * {@link EntryExpiry} needs the deadline at every read to stop expire-after-access from extending
 * an entry past it, and {@code keys()} needs it to leave expired entries out.
 *
 * <p>On disk: one byte of kind ({@code 'V'} or {@code 'N'}), eight of deadline, then the bytes.
 * Immutable, and equal by content: Ehcache's conditional operations ({@code replace(k, old, new)},
 * {@code remove(k, v)}) compare with {@code equals}. The one mutable field, {@link #decoded},
 * only remembers what the bytes decode to and takes no part in equality.
 */
final class StoredValue {

  static final long NO_DEADLINE = Long.MAX_VALUE;

  private static final byte VALUE = 'V';
  private static final byte NULL = 'N';
  private static final int HEADER = 1 + Long.BYTES;
  private static final byte[] NO_BYTES = new byte[0];

  /** Reads back only what it wrote; anything else is refused, so it reads as a miss. */
  static final Serializer<StoredValue> SERIALIZER = new Serializer<>() {
    @Override
    public ByteBuffer serialize(StoredValue value) {
      ByteBuffer buffer = ByteBuffer.allocate(HEADER + value.bytes.length);
      buffer.put(value.kind).putLong(value.deadline).put(value.bytes);
      return buffer.flip();
    }

    @Override
    public StoredValue read(ByteBuffer binary) {
      if (binary.remaining() < HEADER) {
        throw new SerializerException("Not a UCache entry: " + binary.remaining() + " bytes");
      }
      byte kind = binary.get();
      long deadline = binary.getLong();
      if (kind == NULL && !binary.hasRemaining()) {
        return new StoredValue(NULL, deadline, NO_BYTES);
      }
      if (kind != VALUE) {
        throw new SerializerException("Not a UCache entry: kind " + kind);
      }
      byte[] bytes = new byte[binary.remaining()];
      binary.get(bytes);
      return new StoredValue(VALUE, deadline, bytes);
    }

    @Override
    public boolean equals(StoredValue value, ByteBuffer binary) {
      return serialize(value).equals(binary);
    }

    @Override
    public String toString() {
      return "StoredValue.SERIALIZER";
    }
  };

  private final byte kind;
  private final long deadline;
  private final byte[] bytes;
  /**
   * The value these bytes decode to, remembered by caches whose values are immutable, so that a
   * heap-tier hit (which returns this very object) decodes nothing. Racy by design: any thread
   * may set it, every thread that reads it sees null or a fully built immutable value (its
   * fields are final), and decoding twice gives an equal value.
   */
  private @Nullable Object decoded;

  private StoredValue(byte kind, long deadline, byte[] bytes) {
    this.kind = kind;
    this.deadline = deadline;
    this.bytes = bytes;
  }

  /** A value, encoded as {@code bytes}, which the caller hands over and never changes. */
  static StoredValue of(byte[] bytes, long deadline) {
    return new StoredValue(VALUE, deadline, bytes);
  }

  /** A cached {@code null}. */
  static StoredValue ofNull(long deadline) {
    return new StoredValue(NULL, deadline, NO_BYTES);
  }

  boolean isNull() {
    return kind == NULL;
  }

  /** The value's bytes; empty for a cached null. Callers must not change them. */
  byte[] bytes() {
    return bytes;
  }

  /** The value remembered by {@link #remember}, or null. */
  @Nullable Object decoded() {
    return decoded;
  }

  /** Remembers what the bytes decode to; only for immutable values. */
  void remember(Object value) {
    decoded = value;
  }

  /** When the entry must be gone, in {@link EngineClock} milliseconds; {@link #NO_DEADLINE}. */
  long deadline() {
    return deadline;
  }

  /** Whether the deadline has passed at {@code now}. */
  boolean expiredAt(long now) {
    return deadline != NO_DEADLINE && now >= deadline;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof StoredValue other && kind == other.kind && deadline == other.deadline
        && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * kind + Long.hashCode(deadline)) + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "StoredValue{" + (isNull() ? "null" : bytes.length + " bytes")
        + (deadline == NO_DEADLINE ? "" : ", deadline=" + deadline) + "}";
  }
}
