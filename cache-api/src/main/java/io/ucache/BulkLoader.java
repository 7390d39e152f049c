package io.ucache;

import java.util.Map;
import java.util.Set;

/**
 * Computes the values for several missing keys at once, for
 * {@link Cache#getAll(Iterable, BulkLoader)}. Keys it leaves out of the returned map stay
 * absent; entries for keys that were not asked for are cached too. A checked exception reaches
 * the caller wrapped in {@link CacheLoadException}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface BulkLoader<K, V> {
  Map<? extends K, ? extends V> loadAll(Set<? extends K> keys) throws Exception;
}
