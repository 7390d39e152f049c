package io.ucache.spi;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by a loader to hand its callers a value that must not be cached (an annotated method's
 * result that its {@code unless} condition keeps out of the cache). The template stores nothing,
 * counts the load as a successful one, and lets this reach every caller sharing the load, which
 * takes the value from it; a background refresh that gets it leaves the entry as it was.
 *
 * <p>Immutable; it records no stack trace. The value may be null.
 */
public final class UncachedValue extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient @Nullable Object value;

  /** Hands {@code value} to the load's callers, uncached. */
  public UncachedValue(@Nullable Object value) {
    super("a loaded value kept out of the cache", null, false, false);
    this.value = value;
  }

  /** The value the loader returns to its callers. */
  public @Nullable Object value() {
    return value;
  }
}
