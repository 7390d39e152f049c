package io.ucache.jcache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import org.jspecify.annotations.Nullable;

/**
 * A cache's loader and writer, made once from the configuration's factories, with what they
 * throw wrapped as JSR-107 asks ({@link CacheLoaderException}, {@link CacheWriterException}, the
 * cause kept). The loader serves {@code loadAll} always and reads on a miss only when the cache
 * reads through; the writer is made only when the cache writes through. Thread-safe if they are.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class Integration<K, V> {

  private final @Nullable CacheLoader<K, V> loader;
  private final @Nullable CacheWriter<K, V> writer;
  private final boolean readThrough;

  Integration(CompleteConfiguration<K, V> configuration) {
    this.loader = configuration.getCacheLoaderFactory() == null ? null
        : configuration.getCacheLoaderFactory().create();
    this.writer = configuration.isWriteThrough() && configuration.getCacheWriterFactory() != null
        ? writer(configuration.getCacheWriterFactory().create()) : null;
    this.readThrough = configuration.isReadThrough() && loader != null;
  }

  /** A writer of supertypes writes these types: one type spares the bulk calls' wildcards. */
  @SuppressWarnings("unchecked")
  private static <K, V> CacheWriter<K, V> writer(CacheWriter<? super K, ? super V> writer) {
    return (CacheWriter<K, V>) writer;
  }

  /** Whether a miss loads the value. */
  boolean readsThrough() {
    return readThrough;
  }

  boolean hasLoader() {
    return loader != null;
  }

  /** The loader's value of {@code key}, or null; call only {@link #hasLoader()}. */
  @Nullable V load(K key) {
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("the cache loader failed on key " + key, e);
    }
  }

  /** The loader's values of {@code keys}, nulls left out; call only {@link #hasLoader()}. */
  Map<K, V> loadAll(Set<K> keys) {
    Map<K, V> loaded;
    try {
      loaded = loader.loadAll(keys);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("the cache loader failed in loadAll", e);
    }
    Map<K, V> values = new LinkedHashMap<>();
    if (loaded != null) {
      loaded.forEach((key, value) -> {
        if (key != null && value != null) {
          values.put(key, value);
        }
      });
    }
    return values;
  }

  /** The writer, when the cache writes through. */
  @Nullable CacheWriter<K, V> writer() {
    return writer;
  }

  void write(K key, V value) {
    if (writer != null) {
      try {
        writer.write(new JCacheEntry<>(key, value));
      } catch (CacheWriterException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new CacheWriterException("the cache writer failed on key " + key, e);
      }
    }
  }

  void delete(K key) {
    if (writer != null) {
      try {
        writer.delete(key);
      } catch (CacheWriterException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new CacheWriterException("the cache writer failed to delete key " + key, e);
      }
    }
  }

  /** {@code failure} of a bulk write, as a {@link CacheWriterException}. */
  static RuntimeException writeFailure(RuntimeException failure, String operation) {
    return failure instanceof CacheWriterException ? failure
        : new CacheWriterException("the cache writer failed in " + operation, failure);
  }

  void close() {
    closeQuietly(loader);
    closeQuietly(writer);
  }

  /** Closes a customization that is {@code AutoCloseable}, as JSR-107 has the cache do. */
  static void closeQuietly(@Nullable Object resource) {
    if (resource instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // The customization's own resources: nothing the cache can do about a failure to.
      }
    }
  }
}
