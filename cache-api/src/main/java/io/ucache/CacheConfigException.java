package io.ucache;

import org.jspecify.annotations.Nullable;

/**
 * A configuration is invalid: an unknown key, a value that does not parse or is out of range, or
 * a requirement the chosen engine cannot honour. The message names the key and the value (masked
 * when the key holds a secret). Fix the configuration; retrying will not help.
 */
public class CacheConfigException extends CacheException {
  private static final long serialVersionUID = 1L;

  private final @Nullable String key;

  public CacheConfigException(String message) {
    this(null, message, null);
  }

  public CacheConfigException(@Nullable String key, String message) {
    this(key, message, null);
  }

  public CacheConfigException(@Nullable String key, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.key = key;
  }

  /** The configuration key at fault, or {@code null} when the problem is not one key's. */
  public @Nullable String key() {
    return key;
  }
}
