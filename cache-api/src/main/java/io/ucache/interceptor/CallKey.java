package io.ucache.interceptor;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The key of one call on an in-process engine: its key arguments, compared by content (arrays
 * deeply). Building it hashes the arguments and allocates only this object; no string is built.
 * Disk and remote engines get {@link io.ucache.CacheKeys}'s text instead.
 *
 * <p>A key built for a lookup may hold the caller's own arrays and collections. A key that is
 * stored must be {@link #detached()} first, so that a caller changing them after the call cannot
 * change the stored key.
 */
final class CallKey implements io.ucache.spi.CanonicalKey {
  private final @Nullable Object[] args;
  private final int hash;

  /** The canonical text of these arguments ({@link io.ucache.CacheKeys#of}). */
  @Override
  public String canonicalText() {
    return io.ucache.CacheKeys.of(args);
  }

  CallKey(@Nullable Object[] args) {
    this(args, Arrays.deepHashCode(args));
  }

  private CallKey(@Nullable Object[] args, int hash) {
    this.args = args;
    this.hash = hash;
  }

  /**
   * This key with a copy of its argument array whose arguments share nothing a caller could
   * change ({@link KeyCopies#detach}): nested arrays are copied, lists, sets, maps and records
   * holding them too.
   */
  CallKey detached() {
    @Nullable Object[] copy = Arrays.copyOf(args, args.length);
    KeyCopies.detachAll(copy);
    return new CallKey(copy, hash);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CallKey other
        && hash == other.hash
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
      return io.ucache.CacheKeys.of(args);
    } catch (IllegalArgumentException e) {
      return Arrays.deepToString(args);
    }
  }
}
