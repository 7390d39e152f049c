package io.ucache.spi;

import io.ucache.CacheLoader;

/**
 * A loader bound to one call (an intercepted method's run, with that call's arguments) that can
 * give a copy of itself to run later, on another thread, after the call has returned: what a
 * background refresh runs. The template asks for the copy on the calling thread, while the call
 * is still running; a loader that is not a {@code DetachableLoader} is run later as it is.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface DetachableLoader<K, V> extends CacheLoader<K, V> {

  /** A loader that does what this one does, safe to run once later on any thread. */
  CacheLoader<K, V> detach();
}
