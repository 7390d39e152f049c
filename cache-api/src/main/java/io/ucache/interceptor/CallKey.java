package io.ucache.interceptor;

import java.lang.reflect.Array;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The key of one call on an in-process engine: the method's identity and its key arguments,
 * compared by content (arrays deeply). Building it hashes the arguments and allocates only this
 * object; no string is built. Disk and remote engines get {@link KeyEncoder}'s string instead.
 *
 * <p>A key built for a lookup may hold the caller's own arrays. A key that is stored must be
 * {@link #detached()} first, so that a caller changing its array after the call cannot change
 * the stored key.
 */
final class CallKey {
  private final String method;
  private final @Nullable Object[] args;
  private final int hash;

  CallKey(String method, @Nullable Object[] args) {
    this(method, args, 31 * method.hashCode() + Arrays.deepHashCode(args));
  }

  private CallKey(String method, @Nullable Object[] args, int hash) {
    this.method = method;
    this.args = args;
    this.hash = hash;
  }

  /**
   * This key with copies of its argument array and of every array in it (nested ones too), so
   * that it no longer shares anything a caller could change.
   */
  CallKey detached() {
    return new CallKey(method, (Object[]) deepCopy(args), hash);
  }

  private static Object deepCopy(Object array) {
    int length = Array.getLength(array);
    Object copy = Array.newInstance(array.getClass().getComponentType(), length);
    System.arraycopy(array, 0, copy, 0, length);
    if (copy instanceof Object[] elements) {
      for (int i = 0; i < elements.length; i++) {
        if (elements[i] != null && elements[i].getClass().isArray()) {
          elements[i] = deepCopy(elements[i]);
        }
      }
    }
    return copy;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CallKey other
        && hash == other.hash
        && method.equals(other.method)
        && Arrays.deepEquals(args, other.args);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /**
   * The canonical encoding, as a remote engine's key would be; for an argument without one
   * (possible on in-process engines, whose keys compare by {@code equals}), a plain rendering,
   * since engines put keys into messages and a {@code toString} must not throw.
   */
  @Override
  public String toString() {
    try {
      return KeyEncoder.encode(method, args);
    } catch (IllegalArgumentException e) {
      return method + Arrays.deepToString(args);
    }
  }
}
