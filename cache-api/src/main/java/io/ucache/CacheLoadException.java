package io.ucache;

/**
 * A loader passed to {@link Cache#get(Object, CacheLoader)} or a bulk loader threw a checked
 * exception; it is the cause. Nothing was cached for the key. A loader's unchecked exceptions and
 * errors reach the caller unwrapped.
 */
public class CacheLoadException extends CacheException {
  private static final long serialVersionUID = 1L;

  private final transient Object key;

  public CacheLoadException(Object key, Throwable cause) {
    super("Loading the value for key '" + java.util.Objects.requireNonNull(key, "key")
        + "' failed: " + java.util.Objects.requireNonNull(cause, "cause"), cause);
    this.key = key;
  }

  /** The key whose value could not be loaded (for a bulk load, the keys that were missing). */
  public Object key() {
    return key;
  }
}
