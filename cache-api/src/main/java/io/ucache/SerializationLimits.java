package io.ucache;

/**
 * How much reading one Java-serialized value may cost, for {@link ValueCodec#java(Class,
 * SerializationLimits, Class[])}. A stored value is read on every hit, and its bytes may come
 * from another program, so whatever a stream declares, reading it fails fast with a
 * {@link CacheSerializationException} once it passes one of these limits, before the memory or
 * the work is spent.
 *
 * <p>Besides these limits, an array is refused when its declared length needs more bytes than
 * the whole stream holds (a {@code long[n]} needs {@code 8n}), and all arrays of one stream
 * together may take at most eight times the stream's size plus 64 KiB: a JDK collection sizes its
 * table from a count in the stream, and a foreign value must not turn 200 bytes into 512 MB.
 *
 * <p>The defaults ({@link #DEFAULTS}) and why:
 *
 * <ul>
 *   <li>{@code maxArrayLength} 16,777,216: one array of the longest value a cache stores
 *       ({@code max-value-bytes}, 16 MiB by default). Memory is bounded by the stream's size
 *       anyway (see above); this caps one array on its own.
 *   <li>{@code maxDepth} 100: how deeply objects may nest. Real values nest a few levels
 *       (a record holding a list of records holding a map is four); 100 leaves room for
 *       hand-made trees while keeping the reader's recursion far from a stack overflow.
 *   <li>{@code maxReferences} 1,000,000: objects and back-references in one value. A cached
 *       value of a million objects already takes longer to read than a cache should add.
 *   <li>{@code maxBytes} 16 MiB: the default {@code max-value-bytes}; no stored value is longer.
 *   <li>{@code maxCollectionTreeSize} 1,000,000: how many elements a JDK collection or map may
 *       hold counting every shared sub-collection once per place it appears, which is what
 *       {@code hashCode} and {@code equals} visit. Without sharing this is at most the number of
 *       objects, so the default refuses nothing that {@code maxReferences} lets through; with
 *       sharing, 100 levels of two sets holding both sets below (a 6 KB stream) would otherwise
 *       make a {@code HashSet} hash 2^100 sets while being read. Checked as each collection is
 *       complete, before a set or map holding it hashes it.
 * </ul>
 *
 * <p>Immutable and thread-safe; no nulls.
 *
 * @param maxArrayLength the longest array, in elements; at least 1
 * @param maxDepth the deepest nesting of objects; at least 1
 * @param maxReferences the most objects and back-references in one stream; at least 1
 * @param maxBytes the longest stream, in bytes; at least 1
 * @param maxCollectionTreeSize the most elements one collection or map may reach, shared
 *     sub-collections counted once per occurrence; at least 1
 */
public record SerializationLimits(long maxArrayLength, long maxDepth, long maxReferences,
    long maxBytes, long maxCollectionTreeSize) {

  /** The defaults, documented above. */
  public static final SerializationLimits DEFAULTS =
      new SerializationLimits(16L * 1024 * 1024, 100, 1_000_000, 16L * 1024 * 1024, 1_000_000);

  /**
   * Validates the limits.
   *
   * @throws IllegalArgumentException naming the limit that is less than 1
   */
  public SerializationLimits {
    positive("maxArrayLength", maxArrayLength);
    positive("maxDepth", maxDepth);
    positive("maxReferences", maxReferences);
    positive("maxBytes", maxBytes);
    positive("maxCollectionTreeSize", maxCollectionTreeSize);
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, not " + value);
    }
  }

  /** These limits with {@code maxArrayLength} changed. */
  public SerializationLimits withMaxArrayLength(long value) {
    return new SerializationLimits(value, maxDepth, maxReferences, maxBytes,
        maxCollectionTreeSize);
  }

  /** These limits with {@code maxDepth} changed. */
  public SerializationLimits withMaxDepth(long value) {
    return new SerializationLimits(maxArrayLength, value, maxReferences, maxBytes,
        maxCollectionTreeSize);
  }

  /** These limits with {@code maxReferences} changed. */
  public SerializationLimits withMaxReferences(long value) {
    return new SerializationLimits(maxArrayLength, maxDepth, value, maxBytes,
        maxCollectionTreeSize);
  }

  /** These limits with {@code maxBytes} changed. */
  public SerializationLimits withMaxBytes(long value) {
    return new SerializationLimits(maxArrayLength, maxDepth, maxReferences, value,
        maxCollectionTreeSize);
  }

  /** These limits with {@code maxCollectionTreeSize} changed. */
  public SerializationLimits withMaxCollectionTreeSize(long value) {
    return new SerializationLimits(maxArrayLength, maxDepth, maxReferences, maxBytes, value);
  }
}
