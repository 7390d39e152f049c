package io.ucache.examples.memo;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CacheException;
import io.ucache.Capability;
import io.ucache.ValueType;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running {@code memo} engine: the caches of a Caffeine engine, and for each
 * {@code String}-to-{@code String} cache whose {@code store.snapshot} is true, a file
 * {@code <store.path>/<cache>.properties} read when the cache opens and written when the engine
 * closes. Thread-safe; closing is idempotent.
 */
final class MemoEngine implements CacheEngine {

  private final CacheConfig config;
  private final Path store;
  private final CacheEngine entries;
  /** The caches to write on close, by name. */
  private final Map<String, Cache<String, String>> snapshots = new ConcurrentHashMap<>();

  MemoEngine(CacheConfig config, Path store, CacheEngine entries) {
    this.config = config;
    this.store = store;
    this.entries = entries;
  }

  @Override
  public String name() {
    return MemoEngineProvider.NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.IN_PROCESS, Capability.PERSISTENT);
  }

  @Override
  public CacheConfig config() {
    return config;
  }

  @Override
  public <K, V> Cache<K, V> cache(String name, Class<K> keyType, ValueType<V> valueType,
      CacheConfig settings) {
    Cache<K, V> cache = entries.cache(name, keyType, valueType, settings);
    boolean snapshot = config.forCache(name).get(MemoSettings.STORE_SNAPSHOT).orElseThrow();
    if (snapshot && keyType == String.class && valueType.equals(ValueType.of(String.class))) {
      @SuppressWarnings("unchecked")
      Cache<String, String> strings = (Cache<String, String>) cache;
      if (snapshots.putIfAbsent(name, strings) == null) {
        load(name, strings);
      }
    }
    return cache;
  }

  /** The file of the cache called {@code name}. */
  Path file(String name) {
    return store.resolve(name + ".properties");
  }

  private void load(String name, Cache<String, String> cache) {
    Path file = file(name);
    if (!Files.isRegularFile(file)) {
      return;
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException e) {
      throw new CacheException("Cannot read the memo file " + file + ": " + e, e);
    }
    properties.stringPropertyNames().forEach(key -> cache.put(key, properties.getProperty(key)));
  }

  @Override
  public Set<String> cacheNames() {
    return entries.cacheNames();
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    return entries.unwrap(type);
  }

  @Override
  public boolean isClosed() {
    return entries.isClosed();
  }

  /** Writes every snapshot cache to its file, then closes the entries. */
  @Override
  public void close() {
    if (entries.isClosed()) {
      return;
    }
    try {
      Files.createDirectories(store);
      for (Map.Entry<String, Cache<String, String>> e : snapshots.entrySet()) {
        Properties properties = new Properties();
        properties.putAll(e.getValue().asMap());
        try (Writer out = Files.newBufferedWriter(file(e.getKey()), StandardCharsets.UTF_8)) {
          properties.store(out, "memo cache " + e.getKey());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the memo files in " + store, e);
    } finally {
      entries.close();
    }
  }

  @Override
  public String toString() {
    return "MemoEngine{store=" + store + ", caches=" + entries.cacheNames() + "}";
  }
}
