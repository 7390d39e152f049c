package io.ucache;

import org.jspecify.annotations.Nullable;

/**
 * A value could not be turned into bytes, or bytes back into a value: the type is not supported
 * by the codec, the bytes are foreign or corrupt, or they name a class outside the allow-list.
 */
public class CacheSerializationException extends CacheException {
  private static final long serialVersionUID = 1L;

  public CacheSerializationException(String message) {
    super(message);
  }

  public CacheSerializationException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
