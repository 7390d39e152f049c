package io.ucache.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanCursor;
import io.ucache.AsyncCache;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheSerializationException;
import io.ucache.CachedValue;
import io.ucache.EngineUnavailableException;
import io.ucache.ValueCodec;
import io.ucache.ValueType;
import io.ucache.spi.AbstractCache;
import io.ucache.spi.LoadLeases;
import io.ucache.spi.StoredValueFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One named cache of the Redis engine: the storage primitives of {@link AbstractCache} as Redis
 * commands. Every primitive is one command, or one pipelined batch, or one small Lua script, on
 * the engine's shared connection, sent through {@link RedisCalls} (circuit breaker, evictions
 * that failed earlier, the timeout); the template applies the failure mode.
 *
 * <p>Expiry is Redis's own ({@code PX}): {@code ttl} on every write, {@code expire-after-access}
 * by {@code GETEX PX} on every read. With both, each value carries its absolute write deadline
 * (in the {@link StoredValueFormat} header) and a read extends the key's life to the sooner of
 * the idle limit and that deadline. The commands themselves, {@code max-size}'s index among
 * them, are {@link RedisCommands}'; a scan of the keys is a {@link RedisKeyScan}.
 */
final class RedisCache<K, V> extends AbstractCache<K, V, byte[]> {

  private final RedisKeys<K> keys;
  private final ValueCodec<V> codec;
  private final StoredValueFormat format;
  private final RedisConnection connection;
  private final RedisCommands<K> commands;
  private final RedisCalls calls;
  private final long ttlMillis;
  private final long idleMillis;
  private final long maxValueBytes;
  private @Nullable RedisAsyncCache<K, V> async;

  RedisCache(String name, CacheConfig config, Class<K> keyType, ValueType<V> valueType,
      RedisKeys<K> keys, ValueCodec<V> codec, RedisConnection connection) {
    super(RedisEngineProvider.NAME, name, config, keyType, valueType);
    this.keys = keys;
    this.codec = codec;
    this.format = format(name, config, codec, keyType, valueType);
    this.connection = connection;
    // With stale windows, entries are kept past their ttl; the template reads their times.
    this.ttlMillis = storeTtl().map(RedisCache::millis).orElse(0L);
    this.idleMillis = config.expireAfterAccess().map(RedisCache::millis).orElse(0L);
    this.maxValueBytes = config.maxValueBytes();
    this.commands = new RedisCommands<>(keys, format, connection, ttlMillis, idleMillis,
        config.maxSize().orElse(-1), this::countEvictions);
    this.calls = new RedisCalls(name, config, connection, this::countRejected,
        new RedisCalls.Evictions() {
          @Override
          public CompletableFuture<Void> unlink(byte[][] redisKeys) {
            return commands.unlink(redisKeys);
          }

          @Override
          public void clearNow() {
            RedisCache.this.clearNow();
          }
        });
  }

  /** The cache's {@link RedisSettings#VALUE_FORMAT}, checked against its codec. */
  private static StoredValueFormat format(String name, CacheConfig config, ValueCodec<?> codec,
      Class<?> keyType, ValueType<?> valueType) {
    if (config.get(RedisSettings.VALUE_FORMAT).orElse(RedisSettings.ValueFormat.FRAMED)
        == RedisSettings.ValueFormat.FRAMED) {
      return StoredValueFormat.framed(codec.id(), keyType, valueType, config.codecVersion());
    }
    try {
      return StoredValueFormat.plain(codec.id(), keyType, valueType, config.codecVersion());
    } catch (IllegalArgumentException e) {
      throw new CacheConfigException(RedisSettings.VALUE_FORMAT.name(), "Cache '" + name
          + "' cannot use redis.value-format=plain: its values (" + valueType
          + ") are not written as text by their codec; use framed, or a String value type");
    }
  }

  // --- storage primitives

  @Override
  protected byte @Nullable [] read(K key) {
    byte[] redisKey = keys.encode(key);
    return calls.callFor(redisKey, () -> commands.read(redisKey), null);
  }

  @Override
  protected Map<K, byte[]> readAll(List<K> asked) {
    return present(asked, calls.call(() -> commands.readAll(asked)));
  }

  @Override
  protected void write(K key, byte[] stored, @Nullable Duration ttl) {
    byte[] redisKey = keys.encode(key);
    long entryTtl = ttl == null ? 0 : millis(ttl);
    calls.callFor(redisKey, () -> commands.write(redisKey, stored, entryTtl),
        () -> calls.rememberEvictions(new byte[][] {redisKey}));
  }

  @Override
  protected void writeAll(Map<K, byte[]> entries) {
    Map<byte[], byte[]> stored = new LinkedHashMap<>();
    entries.forEach((key, bytes) -> stored.put(keys.encode(key), bytes));
    calls.call(() -> commands.writeAll(stored),
        () -> calls.rememberEvictions(stored.keySet().toArray(new byte[0][])));
  }

  @Override
  protected byte @Nullable [] writeIfAbsent(K key, byte[] stored) {
    byte[] redisKey = keys.encode(key);
    return calls.callFor(redisKey, () -> commands.setIfAbsent(redisKey, stored), null);
  }

  /** One pipelined round of set-if-absent scripts. */
  @Override
  protected Map<K, byte[]> writeAllIfAbsent(Map<K, byte[]> entries) {
    List<K> order = new ArrayList<>(entries.keySet());
    List<byte[]> redisKeys = new ArrayList<>(order.size());
    List<byte[]> stored = new ArrayList<>(order.size());
    for (K key : order) {
      redisKeys.add(keys.encode(key));
      stored.add(entries.get(key));
    }
    return present(order, calls.call(() -> commands.setAllIfAbsent(redisKeys, stored)));
  }

  @Override
  protected boolean replace(K key, byte[] expected, byte[] replacement) {
    byte[] redisKey = keys.encode(key);
    return calls.callFor(redisKey, () -> commands.compareAndSet(redisKey, expected, replacement),
        null);
  }

  @Override
  protected byte @Nullable [] swap(K key, byte[] stored) {
    byte[] redisKey = keys.encode(key);
    return calls.callFor(redisKey, () -> commands.swap(redisKey, stored),
        () -> calls.rememberEvictions(new byte[][] {redisKey}));
  }

  @Override
  protected void remove(K key) {
    byte[][] redisKeys = {keys.encode(key)};
    calls.callFor(redisKeys[0], () -> commands.unlink(redisKeys),
        () -> calls.rememberEvictions(redisKeys));
  }

  @Override
  protected void removeAll(Collection<K> all) {
    byte[][] redisKeys = all.stream().map(keys::encode).toArray(byte[][]::new);
    calls.call(() -> commands.unlink(redisKeys), () -> calls.rememberEvictions(redisKeys));
  }

  @Override
  protected boolean removeIfSame(K key, byte[] expected) {
    byte[] redisKey = keys.encode(key);
    return calls.callFor(redisKey, () -> commands.compareAndDelete(redisKey, expected),
        () -> calls.rememberEvictions(new byte[][] {redisKey}));
  }

  @Override
  protected byte @Nullable [] removeAndGet(K key) {
    byte[] redisKey = keys.encode(key);
    return calls.callFor(redisKey, () -> commands.getAndDelete(redisKey),
        () -> calls.rememberEvictions(new byte[][] {redisKey}));
  }

  /**
   * Not awaited: an asynchronous read decodes on Lettuce's event loop, which must not wait for
   * its own reply. If it fails, the bytes stay a miss and the next read tries again.
   */
  @Override
  protected void discard(K key, byte[] unreadable) {
    commands.compareAndDelete(keys.encode(key), unreadable);
  }

  @Override
  protected Iterator<K> scan() {
    return new RedisKeyScan<>(this, format);
  }

  /** SCAN MATCH {@code <namespace>:<cache>:*} and UNLINK in batches: never FLUSHDB or KEYS. */
  @Override
  protected void removeEverything() {
    calls.call(() -> {
      try {
        clearNow();
        return CompletableFuture.<Void>completedFuture(null);
      } catch (EngineUnavailableException e) {
        return CompletableFuture.<Void>failedFuture(e);
      }
    }, calls::rememberClear);
  }

  @Override
  protected byte[] encode(K key, @Nullable V value, @Nullable Duration ttl) {
    byte[] redisKey = keys.encode(key);
    byte[] body = value == null ? null : codec.encode(value);
    if (body != null && body.length > maxValueBytes) {
      throw new CacheSerializationException("Cache '" + name() + "': the value for key '" + key
          + "' is " + body.length + " bytes encoded, more than max-value-bytes ("
          + maxValueBytes + " bytes); nothing was sent to Redis");
    }
    // An entry's own lifetime (a caller's ttl, a jittered ttl, a null-ttl) travels in the bytes,
    // so every write primitive sets it (RedisCommands.expiryOf); with an idle limit, every value
    // carries its deadline, which a read that resets the idle time must not extend.
    // With refresh-after or a stale window, every value carries its write time and deadline,
    // which every process reads to agree on its age.
    long now = System.currentTimeMillis();
    long entryTtl = ttl == null ? ttlMillis : millis(ttl);
    long deadline = (idleMillis > 0 || ttl != null || keepsTimes()) && entryTtl > 0
        ? now + entryTtl : 0;
    return format.encode(body, keepsTimes() ? now : StoredValueFormat.NO_TIME,
        deadline > 0 ? deadline : StoredValueFormat.NO_TIME,
        keys.isHashed(redisKey) ? RedisKeys.text(key) : null);
  }

  @Override
  protected @Nullable Object decode(K key, byte[] stored) {
    return decodeStored(format, codec, stored);
  }

  @Override
  protected LoadLeases<K, byte[]> loadLeases() {
    return new RedisLeases<>(keys, calls, connection, commands);
  }

  /**
   * Write times and deadlines are wall-clock time, which Redis's own expiry follows, whatever
   * ticker a test injected; read exactly, not through the template's coarse copy: next to a round
   * trip the clock call costs nothing, and the copy lags by more than its tick whenever its thread
   * is kept off a busy machine's cores, which served entries past their ttl.
   */
  @Override
  protected long clockMillis() {
    return System.currentTimeMillis();
  }

  @Override
  protected void onClose() {
    calls.warnIfPending();
  }

  @Override
  public AsyncCache<K, V> async() {
    checkOpen();
    if (hasNearCache() || keepsTimes()) {
      // The template's view runs the synchronous calls, which read and invalidate the near
      // cache and refresh entries; the native one would bypass both.
      return super.async();
    }
    RedisAsyncCache<K, V> view = async;
    return view != null ? view : (async = new RedisAsyncCache<>(this));
  }

  // --- for the asynchronous view and the key scan

  RedisKeys<K> redisKeys() {
    return keys;
  }

  RedisCommands<K> commands() {
    return commands;
  }

  RedisCalls calls() {
    return calls;
  }

  void ensureOpen() {
    checkOpen();
  }

  /** Marks {@code key} evicted before the asynchronous view unlinks it, as evict() does. */
  void evicting(K key) {
    markEvicting(key);
  }

  /** What a read of {@code stored} shows, counted as a hit or a miss. */
  @Nullable CachedValue<V> countedRead(K key, byte @Nullable [] stored) {
    return counted(visible(key, stored));
  }

  /** A key the scan found and cannot name (a hashed key's header): counted, logged. */
  void unreadableKey(String where, String reason) {
    countUnreadable(where, reason);
  }

  /** An engine failure of the asynchronous view: counted; thrown unless fail-open. */
  void asyncFailure(EngineUnavailableException e) {
    failed(e);
  }

  /** The stored form of {@code value} for {@code key}, checked as the synchronous put checks it. */
  byte[] encodeForPut(K key, @Nullable V value, @Nullable Duration ttl) {
    V checked = checkValue(value);
    return encode(key, checked, ttl != null ? storeTtl(ttl) : lifetimeOf(checked));
  }

  /** The entries of {@code asked} whose bytes (in the same order) are there. */
  private static <K> Map<K, byte[]> present(List<K> asked, List<byte @Nullable []> stored) {
    Map<K, byte[]> found = new LinkedHashMap<>();
    for (int i = 0; i < asked.size(); i++) {
      byte[] bytes = stored.get(i);
      if (bytes != null) {
        found.put(asked.get(i), bytes);
      }
    }
    return found;
  }

  /** SCAN and UNLINK until every key of this cache is gone; each round trip within the timeout. */
  private void clearNow() {
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<byte[]> batch = calls.await(commands.scan(cursor));
      List<byte[]> found = batch.getKeys();
      if (!found.isEmpty()) {
        calls.await(commands.unlink(found.toArray(new byte[0][])));
      }
      cursor = batch;
    } while (!cursor.isFinished());
    calls.await(commands.dropSizeIndex());
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    checkOpen();
    Object native_ = connection.connection();
    if (native_ != null && type.isInstance(native_)) {
      return type.cast(native_);
    }
    if (type.isInstance(connection.client())) {
      return type.cast(connection.client());
    }
    if (type == LoadLeases.class) {
      return type.cast(loadLeases()); // for modules that lock a key across processes (JCache)
    }
    throw new IllegalArgumentException("Cache '" + name() + "' of the redis engine has no "
        + type.getName() + "; it has the engine's Lettuce client and connection, and its key"
        + " leases (" + LoadLeases.class.getName() + ")");
  }

  @Override
  public String toString() {
    return "RedisCache{name=" + name() + ", keys=" + keys.pattern()
        + (isClosed() ? ", closed" : "") + "}";
  }

  private static long millis(Duration duration) {
    try {
      return Math.max(1, duration.toMillis());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }
}
