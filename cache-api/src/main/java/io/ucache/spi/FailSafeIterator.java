package io.ucache.spi;

import io.ucache.EngineUnavailableException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The keys of {@link AbstractCache#keys()}: an engine's lazy scan, checked for close at every
 * step, whose engine failures follow the cache's failure mode (with {@code fail-mode=open} the
 * keys end there, counted). Not thread-safe, as streams are not.
 */
final class FailSafeIterator<K> implements Iterator<K>, AutoCloseable {

  private final Iterator<K> scan;
  private final AbstractCache<K, ?, ?> cache;
  private boolean failed;

  FailSafeIterator(Iterator<K> scan, AbstractCache<K, ?, ?> cache) {
    this.scan = scan;
    this.cache = cache;
  }

  @Override
  public boolean hasNext() {
    cache.checkOpen();
    if (failed) {
      return false;
    }
    try {
      return scan.hasNext();
    } catch (EngineUnavailableException e) {
      failed = true;
      cache.failed(e);
      return false;
    }
  }

  @Override
  public K next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return scan.next();
  }

  /** Closes a scan when its stream is closed. */
  static void close(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot close a key scan: " + e, e);
    }
  }

  @Override
  public void close() {
    if (scan instanceof AutoCloseable closeable) {
      close(closeable);
    }
  }

  @Override
  public String toString() {
    return "keys of " + cache.name();
  }
}
