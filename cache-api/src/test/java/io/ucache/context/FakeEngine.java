package io.ucache.context;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.ValueType;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A test engine that holds nothing and only records how often it was closed. It can be told to
 * fail when closed, to test how contexts report close failures. Thread-safe.
 */
final class FakeEngine implements CacheEngine {

  private final String name;
  private final Set<Capability> capabilities;
  private final CacheConfig config;
  private final @Nullable RuntimeException closeFailure;
  private final AtomicInteger closeCount = new AtomicInteger();

  FakeEngine(String name, Set<Capability> capabilities, CacheConfig config,
      @Nullable RuntimeException closeFailure) {
    this.name = name;
    this.capabilities = Set.copyOf(capabilities);
    this.config = config;
    this.closeFailure = closeFailure;
  }

  /** How many times {@link #close()} was called. */
  int closeCount() {
    return closeCount.get();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public CacheConfig config() {
    return config;
  }

  @Override
  public <K, V> Cache<K, V> cache(String cacheName, Class<K> keyType, ValueType<V> valueType,
      CacheConfig settings) {
    throw new UnsupportedOperationException("FakeEngine holds no caches");
  }

  @Override
  public Set<String> cacheNames() {
    return Set.of();
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    throw new IllegalArgumentException("FakeEngine wraps nothing");
  }

  @Override
  public boolean isClosed() {
    return closeCount.get() > 0;
  }

  @Override
  public void close() {
    closeCount.incrementAndGet();
    if (closeFailure != null) {
      throw closeFailure;
    }
  }

  @Override
  public String toString() {
    return "FakeEngine{" + name + "}";
  }
}
