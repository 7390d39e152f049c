package io.ucache;

import org.jspecify.annotations.Nullable;

/**
 * The root of UCache's exceptions. Unchecked; its subclasses say what the caller can do about it.
 * Misuse (a null key, a call after close) is reported with the JDK's own exceptions instead.
 */
public class CacheException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CacheException(String message) {
    super(java.util.Objects.requireNonNull(message, "message"));
  }

  public CacheException(String message, @Nullable Throwable cause) {
    super(java.util.Objects.requireNonNull(message, "message"), cause);
  }
}
