package io.ucache;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Reads one value from bytes within {@link SerializationLimits} and an allow-list. One instance
 * per value read; not thread-safe.
 *
 * <p>Three guards. The {@link ObjectInputFilter} refuses classes outside the allow-list and
 * streams past the depth, reference and byte limits. It also sees every array length before the
 * array is allocated (including the tables that {@code HashMap}, {@code ArrayList} and the
 * other JDK collections size from a count in the stream), and refuses an array that the rest of
 * the stream could never fill, or that would take the stream's arrays past eight times its
 * size: memory follows the bytes actually stored, not what they claim. Finally
 * {@link #resolveObject}, which runs when an object is complete and before any set or map
 * holding it hashes it, bounds each collection's tree size (see
 * {@link SerializationLimits#maxCollectionTreeSize()}), which the filter cannot see.
 */
final class BoundedObjectInputStream extends ObjectInputStream {

  /** Array memory a stream may claim: this many times its own length, plus {@link #SLACK}. */
  private static final long ARRAY_BYTES_PER_STREAM_BYTE = 8;
  private static final long SLACK = 64 * 1024;

  private final SerializationLimits limits;
  private final @Nullable ClassLoader loader;
  private final Predicate<Class<?>> allowed;
  private final long streamLength;
  private long arrayBytesLeft;
  /** Tree sizes of the collections read so far, only those holding more than themselves. */
  private @Nullable IdentityHashMap<Object, Long> treeSizes;
  /** Why the filter refused, since the JDK's own exception only says "REJECTED". */
  private @Nullable String refusal;

  /**
   * @param loader where the value type's classes come from (an application's own loader, such
   *     as Spring Boot devtools' restart loader), tried first when a class is resolved; the JDK's
   *     default (the latest user-defined loader on the stack) after it. The filter checks the
   *     class whichever loader found it.
   */
  BoundedObjectInputStream(byte[] bytes, SerializationLimits limits, Predicate<Class<?>> allowed,
      @Nullable ClassLoader loader) throws IOException {
    super(new ByteArrayInputStream(bytes));
    this.loader = loader;
    this.limits = limits;
    this.allowed = allowed;
    this.streamLength = bytes.length;
    this.arrayBytesLeft = ARRAY_BYTES_PER_STREAM_BYTE * bytes.length + SLACK;
    setObjectInputFilter(this::check);
    enableResolveObject(true);
  }

  @Override
  protected Class<?> resolveClass(ObjectStreamClass desc)
      throws IOException, ClassNotFoundException {
    if (loader != null) {
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        // A primitive or a class the loader cannot see: the JDK's way below.
      }
    }
    return super.resolveClass(desc);
  }

  /** Why the filter refused the stream, or null if it did not. */
  @Nullable String refusal() {
    return refusal;
  }

  private ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info) {
    if (info.depth() > limits.maxDepth()) {
      return refuse("objects nested deeper than maxDepth (" + limits.maxDepth() + ")");
    }
    if (info.references() > limits.maxReferences()) {
      return refuse("more than maxReferences (" + limits.maxReferences() + ") objects");
    }
    if (info.streamBytes() > limits.maxBytes()) {
      return refuse("longer than maxBytes (" + limits.maxBytes() + ")");
    }
    Class<?> c = info.serialClass();
    long length = info.arrayLength();
    if (length >= 0) {
      String refused = checkArray(c, length);
      if (refused != null) {
        return refuse(refused);
      }
    }
    if (c == null) {
      return ObjectInputFilter.Status.UNDECIDED;
    }
    return allowed.test(c) ? ObjectInputFilter.Status.ALLOWED
        : refuse("class " + c.getName() + " is not allowed");
  }

  private @Nullable String checkArray(@Nullable Class<?> c, long length) {
    if (length > limits.maxArrayLength()) {
      return "an array of " + length + " elements, more than maxArrayLength ("
          + limits.maxArrayLength() + ")";
    }
    Class<?> component = c == null ? null : c.getComponentType();
    // Each element of a primitive array is that many bytes of stream; a reference array's
    // element at least one (TC_NULL), but JDK hash tables are sized up to 8 times their count.
    long streamBytesNeeded = component != null && component.isPrimitive()
        ? length * primitiveSize(component) : length / 8;
    if (streamBytesNeeded > streamLength) {
      return "an array of " + length + " elements, more than the " + streamLength
          + "-byte stream can hold";
    }
    long memory = length * (component != null && component.isPrimitive()
        ? primitiveSize(component) : 8);
    arrayBytesLeft -= memory;
    if (arrayBytesLeft < 0) {
      return "arrays taking more than " + ARRAY_BYTES_PER_STREAM_BYTE
          + " times the stream's size";
    }
    return null;
  }

  private static long primitiveSize(Class<?> primitive) {
    if (primitive == long.class || primitive == double.class) {
      return 8;
    }
    if (primitive == int.class || primitive == float.class) {
      return 4;
    }
    if (primitive == short.class || primitive == char.class) {
      return 2;
    }
    return 1;
  }

  private ObjectInputFilter.Status refuse(String why) {
    if (refusal == null) {
      refusal = why;
    }
    return ObjectInputFilter.Status.REJECTED;
  }

  /**
   * Bounds each collection's tree size as it completes. Its elements completed before it, so
   * their sizes are known; an element still being read (a cycle) counts as one.
   */
  @Override
  protected @Nullable Object resolveObject(@Nullable Object obj) throws IOException {
    long size;
    if (obj instanceof Collection<?> collection) {
      size = 1;
      for (Object element : collection) {
        size = add(size, element);
      }
    } else if (obj instanceof Map<?, ?> map) {
      size = 1;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        size = add(add(size, entry.getKey()), entry.getValue());
      }
    } else {
      return obj;
    }
    if (size > 1) {
      if (treeSizes == null) {
        treeSizes = new IdentityHashMap<>();
      }
      treeSizes.put(obj, size);
    }
    return obj;
  }

  private long add(long size, @Nullable Object element) throws InvalidObjectException {
    Long known = element == null || treeSizes == null ? null : treeSizes.get(element);
    long total = size + (known == null ? 1 : known);
    if (total > limits.maxCollectionTreeSize()) {
      String why = "a collection whose tree (shared sub-collections counted where they appear) "
          + "exceeds maxCollectionTreeSize (" + limits.maxCollectionTreeSize() + ")";
      refuse(why);
      throw new InvalidObjectException(why);
    }
    return total;
  }
}
