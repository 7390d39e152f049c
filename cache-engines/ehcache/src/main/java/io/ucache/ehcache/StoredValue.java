package io.ucache.ehcache;

import io.ucache.spi.DecodedValue;
import io.ucache.spi.StoredValueFormat;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.ehcache.spi.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * An entry's value as Ehcache stores it: its bytes in the one {@link StoredValueFormat} of every
 * byte engine (versioned header, codec id, key and value type tags, a cached-null flag, the
 * deadline, a CRC32C), and what was read from that header. The bytes are built once, when the
 * value is written, and checked once, when Ehcache reads them back from disk: a hit in the heap
 * tier checks nothing again.
 *
 * <p>The deadline, in {@link EngineClock} milliseconds ({@link #NO_DEADLINE} for none), is the
 * write TTL or the per-entry TTL. Ehcache's expiry keeps an entry's expiration time too, but an
 * {@link EntryExpiry} needs the deadline at every read to stop expire-after-access from extending
 * an entry past it, and {@code keys()} needs it to leave expired entries out.
 *
 * <p>Bytes that fail the format's checks (damaged on disk, written by another program) or that
 * another process wrote with other types still make a {@code StoredValue}: its {@link #problem()}
 * says so, and the cache reads it as a miss. Immutable, and equal by bytes: Ehcache's conditional
 * operations ({@code replace(k, old, new)}, {@code remove(k, v)}) compare with {@code equals}. The
 * one mutable field, {@link #decoded}, only remembers what the bytes decode to and takes no part
 * in equality.
 */
final class StoredValue {

  static final long NO_DEADLINE = Long.MAX_VALUE;

  private final byte[] bytes;
  private final @Nullable DecodedValue problem;
  private final boolean isNull;
  private final long deadline;
  private final long writeTime;
  private final int payloadOffset;
  private final int payloadLength;
  /**
   * The value these bytes decode to, remembered by caches whose values are immutable, so that a
   * heap-tier hit (which returns this very object) decodes nothing. Racy by design: any thread
   * may set it, every thread that reads it sees null or a fully built immutable value (its
   * fields are final), and decoding twice gives an equal value.
   */
  private @Nullable Object decoded;

  private StoredValue(byte[] bytes, DecodedValue read) {
    this.bytes = bytes;
    if (read instanceof DecodedValue.Entry entry) {
      this.problem = null;
      this.isNull = entry.isNull();
      this.deadline = entry.hasDeadline() ? entry.deadline() : NO_DEADLINE;
      this.writeTime = entry.writeTime();
      this.payloadOffset = entry.payloadOffset();
      this.payloadLength = entry.payloadLength();
    } else {
      this.problem = read;
      this.isNull = false;
      this.deadline = NO_DEADLINE;
      this.writeTime = StoredValueFormat.NO_TIME;
      this.payloadOffset = 0;
      this.payloadLength = 0;
    }
  }

  /**
   * A value's codec bytes ({@code null} for a cached null), written at {@code writeTime}
   * ({@link StoredValueFormat#NO_TIME} unless the cache keeps times), to be gone by
   * {@code deadline}.
   */
  static StoredValue of(StoredValueFormat format, byte @Nullable [] payload, long writeTime,
      long deadline) {
    byte[] bytes = format.encode(payload, writeTime,
        deadline == NO_DEADLINE ? StoredValueFormat.NO_TIME : deadline, null);
    return new StoredValue(bytes, format.decode(bytes));
  }

  /** What {@code bytes} read from disk hold, checked against {@code format}. */
  static StoredValue read(StoredValueFormat format, byte[] bytes) {
    return new StoredValue(bytes, format.decode(bytes));
  }

  /** Ehcache's serializer for the values of caches stored in {@code format}. */
  static Serializer<StoredValue> serializer(StoredValueFormat format) {
    return new Serializer<>() {
      @Override
      public ByteBuffer serialize(StoredValue value) {
        return ByteBuffer.wrap(value.bytes).asReadOnlyBuffer();
      }

      @Override
      public StoredValue read(ByteBuffer binary) {
        byte[] bytes = new byte[binary.remaining()];
        binary.get(bytes);
        return StoredValue.read(format, bytes);
      }

      @Override
      public boolean equals(StoredValue value, ByteBuffer binary) {
        return ByteBuffer.wrap(value.bytes).equals(binary);
      }

      @Override
      public String toString() {
        return "StoredValue.serializer(" + format + ")";
      }
    };
  }

  /**
   * {@code null} when the bytes are a readable entry of this cache's types; else the
   * {@link DecodedValue.OtherType} or {@link DecodedValue.Unreadable} they decode to.
   */
  @Nullable DecodedValue problem() {
    return problem;
  }

  boolean isNull() {
    return isNull;
  }

  /** How many bytes the entry takes in the stored-value format. */
  int length() {
    return bytes.length;
  }

  /** A copy of the value's codec bytes; empty for a cached null. */
  byte[] payload() {
    return Arrays.copyOfRange(bytes, payloadOffset, payloadOffset + payloadLength);
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

  /** When the value was written, in {@link EngineClock} milliseconds, or {@code NO_TIME}. */
  long writeTime() {
    return writeTime;
  }

  /** Whether the deadline has passed at {@code now}. */
  boolean expiredAt(long now) {
    return deadline != NO_DEADLINE && now >= deadline;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof StoredValue other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "StoredValue{" + (problem != null ? problem.toString()
        : isNull ? "null" : payloadLength + " bytes")
        + (deadline == NO_DEADLINE ? "" : ", deadline=" + deadline) + "}";
  }
}
