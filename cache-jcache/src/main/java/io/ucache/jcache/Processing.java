package io.ucache.jcache;

import java.util.concurrent.locks.Lock;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.MutableEntry;
import org.jspecify.annotations.Nullable;

/**
 * One {@code invoke}: the processor runs under the key's lock on a {@link MutableEntry} that
 * records what it did, and only its last effect is applied when it returns (a value set and then
 * removed leaves no entry; a processor that throws changes nothing). Reading a missing entry of a
 * read-through cache loads it. Counted as the JSR-107 reference implementation counts: a hit or a
 * miss for the key, a put for a value set, a removal for an entry removed. Not thread-safe: one
 * invocation, one thread.
 */
final class Processing<K, V> implements MutableEntry<K, V> {

  /** The effect the processor leaves on the entry. */
  private enum Effect { NONE, ACCESS, LOAD, CREATE, UPDATE, REMOVE }

  private final JCache<K, V> cache;
  private final K key;
  private @Nullable Expirable found;
  private @Nullable V value;
  private Effect effect = Effect.NONE;
  private long now;

  Processing(JCache<K, V> cache, K key) {
    this.cache = cache;
    this.key = key;
  }

  <T> @Nullable T run(EntryProcessor<K, V, T> processor, Object... arguments) {
    Lock lock = cache.entries.lock(key);
    lock.lock();
    try {
      now = cache.entries.now();
      found = cache.entries.live(key, now);
      if (found == null) {
        cache.statistics.misses(1);
      } else {
        cache.statistics.hits(1);
      }
      T result;
      try {
        result = processor.process(this, arguments);
      } catch (EntryProcessorException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new EntryProcessorException("the entry processor failed on key " + key, e);
      }
      apply();
      return result;
    } finally {
      lock.unlock();
    }
  }

  private void apply() {
    switch (effect) {
      case NONE -> { }
      case ACCESS -> cache.entries.accessed(key, found, now);
      case LOAD -> cache.entries.create(key, value, now);
      case CREATE -> {
        cache.integration.write(key, value);
        if (cache.entries.create(key, value, now)) {
          cache.statistics.puts(1);
        }
      }
      case UPDATE -> {
        cache.integration.write(key, value);
        if (cache.entries.update(key, found, value, now)) {
          cache.statistics.puts(1);
        }
      }
      case REMOVE -> {
        cache.integration.delete(key); // a writer hears of it even when there was no entry
        if (found != null) {
          cache.entries.delete(key, found);
          cache.statistics.removals(1);
        }
      }
    }
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public boolean exists() {
    return switch (effect) {
      case NONE, ACCESS -> found != null;
      case REMOVE -> false;
      case LOAD, CREATE, UPDATE -> true;
    };
  }

  @Override
  public @Nullable V getValue() {
    if (effect == Effect.NONE || effect == Effect.ACCESS) {
      if (found != null) {
        if (value == null) {
          value = cache.entries.valueOf(found);
        }
        effect = Effect.ACCESS;
        return value;
      }
      if (cache.integration.readsThrough() && effect == Effect.NONE) {
        value = cache.integration.load(key);
        if (value != null) {
          effect = Effect.LOAD;
        }
      }
      return value;
    }
    return effect == Effect.REMOVE ? null : value;
  }

  @Override
  public void setValue(V value) {
    if (value == null) {
      throw new NullPointerException("an entry processor set a null value for key " + key);
    }
    this.value = value;
    effect = found == null ? Effect.CREATE : Effect.UPDATE;
  }

  @Override
  public void remove() {
    value = null;
    // A value set or loaded by this processor, then removed, was never stored: nothing happens.
    effect = effect == Effect.CREATE || effect == Effect.LOAD ? Effect.NONE : Effect.REMOVE;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("a mutable entry is not a " + type.getName());
  }
}
