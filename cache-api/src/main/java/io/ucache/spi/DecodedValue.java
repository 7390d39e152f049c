package io.ucache.spi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * What {@link StoredValueFormat#decode} found in stored bytes: exactly one of
 *
 * <ul>
 *   <li>{@link Entry}: a value (or a cached null) this reader can decode with its codec;
 *   <li>{@link #OTHER_TYPE}: a well-formed UCache value whose checksum holds, written for another
 *       key type, value type or codec than the reader declared (two processes that disagree
 *       about one cache). The caller counts a miss and leaves the entry alone: it belongs to the
 *       process that wrote it;
 *   <li>{@link Unreadable}: bytes that fail a check (foreign, truncated, corrupt, an unknown
 *       version or codec, a failed checksum, lengths out of range). The caller counts a miss,
 *       deletes the entry and warns, naming the cache and key, with {@link Unreadable#reason()}.
 * </ul>
 *
 * <p>Java 17 callers branch with {@code instanceof}; the interface is sealed, so these three are
 * all there is. Immutable; thread-safe as long as nobody changes the bytes an {@link Entry}
 * points into.
 */
public sealed interface DecodedValue
    permits DecodedValue.Entry, DecodedValue.OtherType, DecodedValue.Unreadable {

  /** The one {@link OtherType} result. */
  OtherType OTHER_TYPE = new OtherType();

  /**
   * A readable entry. It points into the bytes that were decoded, without copying them: the
   * payload is {@code array()[payloadOffset() .. payloadOffset() + payloadLength())}; callers
   * must not change that array while they use the entry. Times are
   * {@link StoredValueFormat#NO_TIME} when the entry has none.
   */
  final class Entry implements DecodedValue {
    private final byte[] array;
    private final int payloadOffset;
    private final int payloadLength;
    private final boolean cachedNull;
    private final boolean framed;
    private final long writeTime;
    private final long deadline;
    private final int keyTextOffset;
    private final int keyTextLength;

    Entry(byte[] array, int payloadOffset, int payloadLength, boolean cachedNull, boolean framed,
        long writeTime, long deadline, int keyTextOffset, int keyTextLength) {
      this.array = array;
      this.payloadOffset = payloadOffset;
      this.payloadLength = payloadLength;
      this.cachedNull = cachedNull;
      this.framed = framed;
      this.writeTime = writeTime;
      this.deadline = deadline;
      this.keyTextOffset = keyTextOffset;
      this.keyTextLength = keyTextLength;
    }

    /** Whether this is a cached {@code null}: then the payload is empty. */
    public boolean isNull() {
      return cachedNull;
    }

    /** Whether the bytes had a header; {@code false} only for plain text (see the format). */
    public boolean framed() {
      return framed;
    }

    /** The decoded bytes; the payload is a range of them. Not a copy: do not change it. */
    public byte[] array() {
      return array;
    }

    /** Where the payload starts in {@link #array()}. */
    public int payloadOffset() {
      return payloadOffset;
    }

    /** How many bytes the payload has. */
    public int payloadLength() {
      return payloadLength;
    }

    /** A copy of the payload (the codec's bytes); empty for a cached null. */
    public byte[] payload() {
      return Arrays.copyOfRange(array, payloadOffset, payloadOffset + payloadLength);
    }

    /** Whether a write time was stored. */
    public boolean hasWriteTime() {
      return writeTime != StoredValueFormat.NO_TIME;
    }

    /** When the value was written, in the writer's epoch milliseconds, or {@code NO_TIME}. */
    public long writeTime() {
      return writeTime;
    }

    /** Whether a deadline was stored. */
    public boolean hasDeadline() {
      return deadline != StoredValueFormat.NO_TIME;
    }

    /** When the entry must be gone, in the writer's clock, or {@code NO_TIME}. */
    public long deadline() {
      return deadline;
    }

    /** Whether the original key text was stored (for keys the engine stores hashed). */
    public boolean hasKeyText() {
      return keyTextLength >= 0;
    }

    /** The original key text, decoded now from UTF-8, or null if none was stored. */
    public @Nullable String keyText() {
      return keyTextLength < 0 ? null
          : new String(array, keyTextOffset, keyTextLength, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "Entry[" + (cachedNull ? "null" : payloadLength + " bytes")
          + (framed ? "" : ", plain") + (hasWriteTime() ? ", written " + writeTime : "")
          + (hasDeadline() ? ", deadline " + deadline : "")
          + (hasKeyText() ? ", key text of " + keyTextLength + " bytes" : "") + "]";
    }
  }

  /**
   * A well-formed value of another key type, value type or codec than the reader declared:
   * a counted miss that is never deleted. Its only instance is {@link #OTHER_TYPE}.
   */
  final class OtherType implements DecodedValue {
    private OtherType() {}

    @Override
    public String toString() {
      return "OTHER_TYPE";
    }
  }

  /**
   * Bytes that are not a value this format wrote, or were damaged since.
   *
   * @param reason why, for a log line: short, fixed text, never the bytes themselves
   */
  record Unreadable(String reason) implements DecodedValue {}
}
