package io.ucache.jcache;

import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Lock;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;
import org.jspecify.annotations.Nullable;

/**
 * A JCache cache over one UCache cache of its manager's engine. Every operation on a key holds
 * that key's lock ({@link Entries#lock}), so the operations on one key are atomic and see each
 * other in order, in this JVM and, on a shared engine with key leases (redis), across processes
 * (see docs/jcache.md). Read-through and write-through call the configured loader and writer
 * under that lock; statistics follow the JSR-107 reference implementation. Thread-safe.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class JCache<K, V> implements Cache<K, V> {

  private final String name;
  private final UCacheCacheManager manager;
  private final MutableConfiguration<K, V> configuration;
  final Entries<K, V> entries;
  final JCacheStatistics statistics;
  private final EventDispatcher<K, V> events;
  final Integration<K, V> integration;
  final Executor executor;
  private final BulkOperations<K, V> bulk;
  private final ConditionalWrites<K, V> conditional;
  private final JCacheConfigurationBean configurationBean;
  private volatile boolean closed;

  JCache(UCacheCacheManager manager, String name, MutableConfiguration<K, V> configuration,
      EntryStore store, Executor executor) {
    this.manager = manager;
    this.name = name;
    this.configuration = configuration;
    this.executor = executor;
    this.events = new EventDispatcher<>(executor);
    Copier copier = configuration.isStoreByValue() && store.keepsReferences()
        ? Copier.serializing(manager.getClassLoader()) : Copier.IDENTITY;
    this.integration = new Integration<>(configuration);
    this.entries = new Entries<>(this, store, copier,
        new ExpiryRules(configuration.getExpiryPolicyFactory().create()), events,
        System::currentTimeMillis, integration.readsThrough());
    this.statistics = new JCacheStatistics(store::evictions);
    for (CacheEntryListenerConfiguration<K, V> listener
        : configuration.getCacheEntryListenerConfigurations()) {
      events.register(listener);
    }
    this.bulk = new BulkOperations<>(this);
    this.conditional = new ConditionalWrites<>(this);
    this.configurationBean = new JCacheConfigurationBean(this);
    setStatisticsEnabled(configuration.isStatisticsEnabled());
    setManagementEnabled(configuration.isManagementEnabled());
  }

  // --- reads

  @Override
  public @Nullable V get(K key) {
    requireOpen();
    Objects.requireNonNull(key, "key");
    long start = statistics.start();
    Lock lock = entries.lockForRead(key);
    lock.lock();
    try {
      long now = entries.now();
      Expirable entry = entries.liveForRead(key, now);
      if (entry != null) {
        statistics.hits(1);
        entries.accessed(key, entry, now);
        return entries.valueOf(entry);
      }
      statistics.misses(1);
      return readThrough(key, now);
    } finally {
      lock.unlock();
      statistics.gotten(start);
    }
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    requireOpen();
    return bulk.getAll(keys);
  }

  @Override
  public boolean containsKey(K key) {
    requireOpen();
    Objects.requireNonNull(key, "key");
    Lock lock = entries.lockForRead(key);
    lock.lock();
    try {
      return entries.liveForRead(key, entries.now()) != null;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void loadAll(Set<? extends K> keys, boolean replaceExistingValues,
      @Nullable CompletionListener listener) {
    requireOpen();
    bulk.loadAll(keys, replaceExistingValues, listener);
  }

  // --- writes

  @Override
  public void put(K key, V value) {
    requireOpen();
    requireEntry(key, value);
    long start = statistics.start();
    Lock lock = entries.lock(key);
    lock.lock();
    try {
      integration.write(key, value);
      if (store(key, value, entries.now())) {
        statistics.puts(1);
      }
    } finally {
      lock.unlock();
      statistics.put(start);
    }
  }

  @Override
  public @Nullable V getAndPut(K key, V value) {
    requireOpen();
    requireEntry(key, value);
    long start = statistics.start();
    Lock lock = entries.lock(key);
    lock.lock();
    try {
      long now = entries.now();
      Expirable old = entries.live(key, now);
      integration.write(key, value);
      boolean stored = old == null ? entries.create(key, value, now)
          : entries.update(key, old, value, now);
      countRead(old);
      if (stored) {
        statistics.puts(1);
      }
      return old == null ? null : entries.valueOf(old);
    } finally {
      lock.unlock();
      statistics.gotten(start);
      statistics.put(start);
    }
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    requireOpen();
    bulk.putAll(map);
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    requireOpen();
    requireEntry(key, value);
    long start = statistics.start();
    Lock lock = entries.lock(key);
    lock.lock();
    try {
      long now = entries.now();
      if (entries.live(key, now) != null) {
        statistics.hits(1);
        return false;
      }
      integration.write(key, value);
      statistics.misses(1);
      if (entries.create(key, value, now)) {
        statistics.puts(1);
      }
      return true;
    } finally {
      lock.unlock();
      statistics.put(start);
    }
  }

  @Override
  public boolean remove(K key) {
    requireOpen();
    Objects.requireNonNull(key, "key");
    long start = statistics.start();
    Lock lock = entries.lock(key);
    lock.lock();
    try {
      integration.delete(key);
      Expirable old = entries.live(key, entries.now());
      if (old == null) {
        return false;
      }
      entries.delete(key, old);
      statistics.removals(1);
      return true;
    } finally {
      lock.unlock();
      statistics.removed(start);
    }
  }

  @Override
  public boolean remove(K key, V oldValue) {
    return conditional.remove(key, oldValue);
  }

  @Override
  public @Nullable V getAndRemove(K key) {
    return conditional.getAndRemove(key);
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    return conditional.replace(key, oldValue, newValue);
  }

  @Override
  public boolean replace(K key, V value) {
    return conditional.getAndReplace(key, value, false) != null;
  }

  @Override
  public @Nullable V getAndReplace(K key, V value) {
    return conditional.getAndReplace(key, value, true);
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    requireOpen();
    bulk.removeAll(keys);
  }

  @Override
  public void removeAll() {
    requireOpen();
    bulk.removeAll();
  }

  @Override
  public void clear() {
    requireOpen();
    entries.clear();
  }

  @Override
  public <T> @Nullable T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    requireOpen();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(processor, "processor");
    return new Processing<>(this, key).run(processor, arguments);
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys,
      EntryProcessor<K, V, T> processor, Object... arguments) {
    requireOpen();
    return bulk.invokeAll(keys, processor, arguments);
  }

  @Override
  public Iterator<Entry<K, V>> iterator() {
    requireOpen();
    return new JCacheIterator<>(this);
  }

  // --- configuration, lifecycle

  @Override
  public String getName() {
    return name;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> type) {
    if (type.isInstance(configuration)) {
      return type.cast(new MutableConfiguration<>(configuration));
    }
    throw new IllegalArgumentException("the configuration of cache '" + name + "' is a "
        + CompleteConfiguration.class.getName() + ", not a " + type.getName());
  }

  /** The configuration as it is now (listeners registered since included). */
  CompleteConfiguration<K, V> configuration() {
    return configuration;
  }

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
    requireOpen();
    Objects.requireNonNull(listener, "listener");
    synchronized (configuration) {
      if (!events.register(listener)) {
        throw new IllegalArgumentException("that listener configuration is registered already");
      }
      configuration.addCacheEntryListenerConfiguration(listener);
    }
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
    requireOpen();
    Objects.requireNonNull(listener, "listener");
    synchronized (configuration) {
      events.deregister(listener);
      configuration.removeCacheEntryListenerConfiguration(listener);
    }
  }

  void setStatisticsEnabled(boolean enabled) {
    synchronized (configuration) {
      configuration.setStatisticsEnabled(enabled);
      statistics.enable(enabled);
      toggle(Management.Kind.STATISTICS, statistics, enabled);
    }
  }

  void setManagementEnabled(boolean enabled) {
    synchronized (configuration) {
      configuration.setManagementEnabled(enabled);
      toggle(Management.Kind.CONFIGURATION, configurationBean, enabled);
    }
  }

  private void toggle(Management.Kind kind, Object bean, boolean enabled) {
    if (enabled) {
      Management.register(this, kind, bean);
    } else {
      Management.unregister(this, kind);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    synchronized (configuration) {
      if (closed) {
        return;
      }
      closed = true;
      Management.unregister(this, Management.Kind.CONFIGURATION);
      Management.unregister(this, Management.Kind.STATISTICS);
    }
    events.close();
    integration.close();
    Integration.closeQuietly(entries.expiryPolicy());
    manager.closed(this);
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    if (type.isInstance(entries.store().cache)) {
      return type.cast(entries.store().cache);
    }
    throw new IllegalArgumentException("cache '" + name + "' is not a " + type.getName());
  }

  @Override
  public String toString() {
    return "JCache[" + name + " on " + manager.engineName() + "]";
  }

  // --- for the helpers

  void requireOpen() {
    if (closed || manager.isClosed()) {
      throw new IllegalStateException("cache '" + name + "' is closed");
    }
  }

  /** Stores {@code value} under {@code key} (created or updated); whether it was stored. */
  boolean store(K key, V value, long now) {
    Expirable old = entries.live(key, now);
    return old == null ? entries.create(key, value, now) : entries.update(key, old, value, now);
  }

  /** On a miss of {@code key}: its value from the loader, stored, when reading through. */
  @Nullable V readThrough(K key, long now) {
    if (!integration.readsThrough()) {
      return null;
    }
    V value = integration.load(key);
    if (value != null) {
      entries.create(key, value, now);
    }
    return value;
  }

  void countRead(@Nullable Expirable found) {
    if (found == null) {
      statistics.misses(1);
    } else {
      statistics.hits(1);
    }
  }

  static void requireEntry(Object key, Object value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
