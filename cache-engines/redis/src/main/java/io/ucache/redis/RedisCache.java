package io.ucache.redis;

import io.lettuce.core.GetExArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.ucache.AsyncCache;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheSerializationException;
import io.ucache.CachedValue;
import io.ucache.EngineUnavailableException;
import io.ucache.ValueCodec;
import io.ucache.ValueType;
import io.ucache.spi.AbstractCache;
import io.ucache.spi.DecodedValue;
import io.ucache.spi.LoadLeases;
import io.ucache.spi.StoredValueFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
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
 * (in the {@link StoredValueFormat} header) and a read extends the key's life to the sooner of the idle limit and that
 * deadline. {@code max-size} is kept approximately: a sorted set {@code <namespace>:<cache>}
 * records the order of writes, and a write that takes the cache over the limit unlinks the
 * oldest keys.
 */
final class RedisCache<K, V> extends AbstractCache<K, V, byte[]> {

  /** Keys asked per SCAN call, and unlinked per UNLINK call, in clear() and keys(). */
  static final int SCAN_BATCH = 1_000;

  private static final String COMPARE_AND_SET =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then "
          + "if ARGV[3] == '' then redis.call('SET', KEYS[1], ARGV[2]) "
          + "else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end "
          + "return 1 else return 0 end";
  /** SET NX GET in one step on Redis 6.2 too (SET accepts NX with GET only from 7.0). */
  private static final String SET_IF_ABSENT =
      "local previous = redis.call('GET', KEYS[1]) "
          + "if previous then return previous end "
          + "if ARGV[2] == '' then redis.call('SET', KEYS[1], ARGV[1]) "
          + "else redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end "
          + "return false";
  private static final String COMPARE_AND_DELETE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('UNLINK', KEYS[1]) return 1 "
          + "else return 0 end";

  private final RedisKeys<K> keys;
  private final ValueCodec<V> codec;
  private final StoredValueFormat format;
  private final RedisConnection connection;
  private final RedisCalls calls;
  private final long ttlMillis;
  private final long idleMillis;
  private final long maxSize;
  private final long maxValueBytes;
  private final byte[] sizeIndex;
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
    this.maxSize = config.maxSize().orElse(-1);
    this.maxValueBytes = config.maxValueBytes();
    this.sizeIndex = keys.sizeIndex();
    this.calls = new RedisCalls(name, config, connection, this::countRejected,
        new RedisCalls.Evictions() {
          @Override
          public CompletableFuture<Void> unlink(byte[][] redisKeys) {
            return unlinkRaw(redisKeys);
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
    return calls.callFor(redisKey, () -> readRaw(redisKey), null);
  }

  @Override
  protected Map<K, byte[]> readAll(List<K> asked) {
    List<byte @Nullable []> stored = calls.call(() -> readAllRaw(asked));
    Map<K, byte[]> found = new LinkedHashMap<>();
    for (int i = 0; i < asked.size(); i++) {
      byte[] bytes = stored.get(i);
      if (bytes != null) {
        found.put(asked.get(i), bytes);
      }
    }
    return found;
  }

  @Override
  protected void write(K key, byte[] stored, @Nullable Duration ttl) {
    byte[] redisKey = keys.encode(key);
    long entryTtl = ttl == null ? 0 : millis(ttl);
    calls.callFor(redisKey, () -> writeRaw(redisKey, stored, entryTtl),
        () -> calls.rememberEvictions(new byte[][] {redisKey}));
  }

  @Override
  protected void writeAll(Map<K, byte[]> entries) {
    Map<byte[], byte[]> stored = new LinkedHashMap<>();
    entries.forEach((key, bytes) -> stored.put(keys.encode(key), bytes));
    calls.call(() -> writeAllRaw(stored),
        () -> calls.rememberEvictions(stored.keySet().toArray(new byte[0][])));
  }

  @Override
  protected byte @Nullable [] writeIfAbsent(K key, byte[] stored) {
    byte[] redisKey = keys.encode(key);
    return calls.callFor(redisKey, () -> setIfAbsentRaw(redisKey, stored), null);
  }

  /** One pipelined round of set-if-absent scripts. */
  @Override
  protected Map<K, byte[]> writeAllIfAbsent(Map<K, byte[]> entries) {
    List<K> order = new ArrayList<>(entries.keySet());
    List<byte @Nullable []> present = calls.call(() -> {
      List<CompletableFuture<byte @Nullable []>> sets = new ArrayList<>();
      order.forEach(key -> sets.add(setIfAbsentRaw(keys.encode(key), entries.get(key))));
      return CompletableFuture.allOf(sets.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
        List<byte @Nullable []> out = new ArrayList<>(sets.size());
        sets.forEach(set -> out.add(set.join()));
        return out;
      });
    });
    Map<K, byte[]> raced = new LinkedHashMap<>();
    for (int i = 0; i < order.size(); i++) {
      byte[] bytes = present.get(i);
      if (bytes != null) {
        raced.put(order.get(i), bytes);
      }
    }
    return raced;
  }

  /** Sets the key to {@code replacement} only if it holds {@code expected} now (a Lua script). */
  @Override
  protected boolean replace(K key, byte[] expected, byte[] replacement) {
    byte[] redisKey = keys.encode(key);
    long px = expiryOf(replacement, 0);
    byte[] pxText = (px > 0 ? Long.toString(px) : "").getBytes(StandardCharsets.US_ASCII);
    Long done = calls.callFor(redisKey, () -> connection.commands().<Long>eval(COMPARE_AND_SET,
        ScriptOutputType.INTEGER, new byte[][] {redisKey}, expected, replacement, pxText)
        .toCompletableFuture(), null);
    return done != null && done == 1L;
  }

  /** SET GET: the bytes that were there before, or null. */
  @Override
  protected byte @Nullable [] swap(K key, byte[] stored) {
    byte[] redisKey = keys.encode(key);
    long px = expiryOf(stored, 0);
    return calls.callFor(redisKey, () -> {
      RedisClusterAsyncCommands<byte[], byte[]> redis = connection.commands();
      return (px > 0 ? redis.setGet(redisKey, stored, SetArgs.Builder.px(px))
          : redis.setGet(redisKey, stored)).toCompletableFuture()
          .thenCompose(previous -> trackSize(List.of(redisKey)).thenApply(done -> previous));
    }, () -> calls.rememberEvictions(new byte[][] {redisKey}));
  }

  @Override
  protected void remove(K key) {
    byte[][] redisKeys = {keys.encode(key)};
    calls.callFor(redisKeys[0], () -> unlinkRaw(redisKeys),
        () -> calls.rememberEvictions(redisKeys));
  }

  @Override
  protected void removeAll(Collection<K> all) {
    byte[][] redisKeys = all.stream().map(keys::encode).toArray(byte[][]::new);
    calls.call(() -> unlinkRaw(redisKeys), () -> calls.rememberEvictions(redisKeys));
  }

  /** Deletes the key only if it holds {@code expected} now (a Lua script). */
  @Override
  protected boolean removeIfSame(K key, byte[] expected) {
    byte[] redisKey = keys.encode(key);
    Long done = calls.callFor(redisKey, () -> connection.commands().<Long>eval(COMPARE_AND_DELETE,
        ScriptOutputType.INTEGER, new byte[][] {redisKey}, expected).toCompletableFuture(),
        () -> calls.rememberEvictions(new byte[][] {redisKey}));
    return done != null && done == 1L;
  }

  /** GETDEL: the bytes that were there, or null. */
  @Override
  protected byte @Nullable [] removeAndGet(K key) {
    byte[] redisKey = keys.encode(key);
    return calls.callFor(redisKey, () -> connection.commands().getdel(redisKey).toCompletableFuture()
        .thenCompose(previous -> untrack(redisKey).thenApply(done -> previous)),
        () -> calls.rememberEvictions(new byte[][] {redisKey}));
  }

  /**
   * Not awaited: an asynchronous read decodes on Lettuce's event loop, which must not wait for
   * its own reply. If it fails, the bytes stay a miss and the next read tries again.
   */
  @Override
  protected void discard(K key, byte[] unreadable) {
    connection.commands().eval(COMPARE_AND_DELETE, ScriptOutputType.INTEGER,
        new byte[][] {keys.encode(key)}, unreadable);
  }

  @Override
  protected Iterator<K> scan() {
    return new KeyIterator();
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
    // so every write primitive sets it (expiryOf); with an idle limit, every value carries its
    // deadline, which a read that resets the idle time must not extend.
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
    return new RedisLeases<>(keys, calls, connection, this);
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

  // --- for the asynchronous view

  RedisKeys<K> redisKeys() {
    return keys;
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

  /** An engine failure of the asynchronous view: counted; thrown unless fail-open. */
  void asyncFailure(EngineUnavailableException e) {
    failed(e);
  }

  /** The stored form of {@code value} for {@code key}, checked as the synchronous put checks it. */
  byte[] encodeForPut(K key, @Nullable V value, @Nullable Duration ttl) {
    V checked = checkValue(value);
    return encode(key, checked, ttl != null ? storeTtl(ttl) : lifetimeOf(checked));
  }

  // --- commands

  /** The stored bytes of {@code redisKey}, its idle time reset, or null when absent or past its deadline. */
  CompletableFuture<byte @Nullable []> readRaw(byte[] redisKey) {
    RedisClusterAsyncCommands<byte[], byte[]> redis = connection.commands();
    if (idleMillis > 0 && ttlMillis == 0) {
      return redis.getex(redisKey, GetExArgs.Builder.px(idleMillis)).toCompletableFuture();
    }
    CompletableFuture<byte @Nullable []> read = redis.get(redisKey).toCompletableFuture();
    if (idleMillis == 0) {
      return read;
    }
    return read.thenApply(stored -> {
      if (stored == null) {
        return null;
      }
      // Unreadable bytes are returned as they are: the template drops them.
      long deadline = format.decode(stored) instanceof DecodedValue.Entry entry
          && entry.hasDeadline() ? entry.deadline() : 0;
      long left = deadline - System.currentTimeMillis();
      if (deadline > 0 && left <= 0) {
        return null;
      }
      // Fire and forget: the value is read; its next lifetime is only a hint for the server.
      redis.pexpire(redisKey, deadline > 0 ? Math.min(idleMillis, left) : idleMillis);
      return stored;
    });
  }

  /** One MGET (split by slot in Cluster), or pipelined reads when a read must reset expiry. */
  CompletableFuture<List<byte @Nullable []>> readAllRaw(List<K> asked) {
    byte[][] redisKeys = new byte[asked.size()][];
    for (int i = 0; i < redisKeys.length; i++) {
      redisKeys[i] = keys.encode(asked.get(i));
    }
    if (idleMillis > 0) {
      List<CompletableFuture<byte @Nullable []>> reads = new ArrayList<>();
      for (byte[] redisKey : redisKeys) {
        reads.add(readRaw(redisKey));
      }
      return CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0]))
          .thenApply(done -> {
            List<byte @Nullable []> out = new ArrayList<>(reads.size());
            reads.forEach(read -> out.add(read.join()));
            return out;
          });
    }
    return connection.commands().mget(redisKeys).toCompletableFuture().thenApply(values -> {
      List<byte @Nullable []> out = new ArrayList<>(values.size());
      for (KeyValue<byte[], byte[]> value : values) {
        out.add(value.hasValue() ? value.getValue() : null);
      }
      return out;
    });
  }

  /** Sets {@code redisKey}; {@code entryTtl} overrides the cache's TTL when positive. */
  CompletableFuture<Void> writeRaw(byte[] redisKey, byte[] stored, long entryTtl) {
    long px = expiryOf(stored, entryTtl);
    RedisClusterAsyncCommands<byte[], byte[]> redis = connection.commands();
    CompletableFuture<String> set = (px > 0
        ? redis.set(redisKey, stored, SetArgs.Builder.px(px))
        : redis.set(redisKey, stored)).toCompletableFuture();
    return set.thenCompose(ok -> trackSize(List.of(redisKey)));
  }

  /**
   * The PX of writing {@code stored}: {@code entryTtl} when positive, else the deadline
   * {@link #encode} put in the bytes, else the cache's TTL; capped by the idle limit; 0 for none.
   */
  long expiryOf(byte[] stored, long entryTtl) {
    long ttl = entryTtl;
    if (ttl <= 0) {
      long deadline = StoredValueFormat.deadlineOf(stored);
      ttl = deadline == StoredValueFormat.NO_TIME ? ttlMillis
          : Math.max(1, deadline - System.currentTimeMillis());
    }
    if (idleMillis > 0) {
      return ttl > 0 ? Math.min(ttl, idleMillis) : idleMillis;
    }
    return ttl;
  }

  /** For max-size: records the write order of {@code redisKeys}, unlinks the oldest past the limit. */
  CompletableFuture<Void> trackSize(List<byte[]> redisKeys) {
    if (maxSize < 0) {
      return CompletableFuture.completedFuture(null);
    }
    return SizeIndex.track(connection.commands(), sizeIndex, maxSize, redisKeys)
        .thenAccept(this::countEvictions);
  }

  /** Stores unless present, atomically: null when stored, else the bytes already there. */
  CompletableFuture<byte @Nullable []> setIfAbsentRaw(byte[] redisKey, byte[] stored) {
    long px = expiryOf(stored, 0);
    byte[] pxText = (px > 0 ? Long.toString(px) : "").getBytes(StandardCharsets.US_ASCII);
    return connection.commands().<byte @Nullable []>eval(SET_IF_ABSENT, ScriptOutputType.VALUE,
            new byte[][] {redisKey}, stored, pxText).toCompletableFuture()
        .thenCompose(previous -> previous != null
            ? CompletableFuture.completedFuture(previous)
            : trackSize(List.of(redisKey)).thenApply(done -> null));
  }

  /** One MSET when nothing expires; else SET (PX) per entry, pipelined on the one connection. */
  CompletableFuture<Void> writeAllRaw(Map<byte[], byte[]> stored) {
    RedisClusterAsyncCommands<byte[], byte[]> redis = connection.commands();
    Map<byte[], Long> pxs = new LinkedHashMap<>();
    stored.forEach((k, v) -> pxs.put(k, expiryOf(v, 0)));
    CompletableFuture<Void> written;
    if (pxs.values().stream().allMatch(px -> px == 0)) {
      written = redis.mset(stored).toCompletableFuture().thenApply(ok -> null);
    } else {
      List<CompletableFuture<String>> sets = new ArrayList<>();
      stored.forEach((k, v) -> {
        long px = pxs.get(k);
        sets.add((px > 0 ? redis.set(k, v, SetArgs.Builder.px(px)) : redis.set(k, v))
            .toCompletableFuture());
      });
      written = CompletableFuture.allOf(sets.toArray(new CompletableFuture<?>[0]));
    }
    return written.thenCompose(done -> trackSize(new ArrayList<>(stored.keySet())));
  }

  /** One UNLINK (split by slot in Cluster). */
  CompletableFuture<Void> unlinkRaw(byte[][] redisKeys) {
    RedisClusterAsyncCommands<byte[], byte[]> redis = connection.commands();
    CompletableFuture<Long> unlinked = redis.unlink(redisKeys).toCompletableFuture();
    if (maxSize < 0) {
      return unlinked.thenApply(n -> null);
    }
    CompletableFuture<Long> untracked = redis.zrem(sizeIndex, redisKeys).toCompletableFuture();
    return CompletableFuture.allOf(unlinked, untracked);
  }

  /** ZREM from the size index, when there is one. */
  private CompletableFuture<Void> untrack(byte[] redisKey) {
    if (maxSize < 0) {
      return CompletableFuture.completedFuture(null);
    }
    return connection.commands().zrem(sizeIndex, redisKey).toCompletableFuture()
        .thenApply(n -> null);
  }

  /** SCAN and UNLINK until every key of this cache is gone; each round trip within the timeout. */
  private void clearNow() {
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<byte[]> batch = scan(cursor);
      List<byte[]> found = batch.getKeys();
      if (!found.isEmpty()) {
        calls.await(unlinkRaw(found.toArray(new byte[0][])));
      }
      cursor = batch;
    } while (!cursor.isFinished());
    if (maxSize >= 0) {
      calls.await(connection.commands().unlink(new byte[][] {sizeIndex}).toCompletableFuture());
    }
  }

  /** One SCAN call of this cache's keys (on every master in Cluster, one after another). */
  KeyScanCursor<byte[]> scan(ScanCursor cursor) {
    ScanArgs args = ScanArgs.Builder.matches(keys.pattern()).limit(SCAN_BATCH);
    RedisClusterAsyncCommands<byte[], byte[]> redis = connection.commands();
    return calls.await(cursor == ScanCursor.INITIAL ? redis.scan(args).toCompletableFuture()
        : redis.scan(cursor, args).toCompletableFuture());
  }

  /**
   * A lazy SCAN of this cache's keys, one batch at a time; closing it early stops the scan (a
   * SCAN cursor holds nothing on the server). Keys are reported once even where SCAN repeats
   * them, which costs a set of the keys seen. Engine failures are thrown for the template.
   */
  private final class KeyIterator implements Iterator<K>, AutoCloseable {
    private final ArrayDeque<K> batch = new ArrayDeque<>();
    private final Set<K> seen = new HashSet<>();
    private ScanCursor cursor = ScanCursor.INITIAL;
    private boolean done;

    @Override
    public boolean hasNext() {
      checkOpen();
      while (batch.isEmpty() && !done) {
        fetch();
      }
      return !batch.isEmpty();
    }

    @Override
    public K next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return batch.removeFirst();
    }

    @Override
    public void close() {
      done = true;
      batch.clear();
    }

    private void fetch() {
      ScanCursor from = cursor;
      KeyScanCursor<byte[]> page = calls.call(() -> {
        try {
          return CompletableFuture.completedFuture(scan(from));
        } catch (EngineUnavailableException e) {
          return CompletableFuture.<KeyScanCursor<byte[]>>failedFuture(e);
        }
      });
      cursor = page;
      done = page.isFinished();
      List<byte[]> hashed = new ArrayList<>();
      for (byte[] redisKey : page.getKeys()) {
        if (keys.isHashed(redisKey)) {
          hashed.add(redisKey);
        } else {
          add(keys.decode(redisKey));
        }
      }
      if (!hashed.isEmpty()) {
        // A hashed key's name is a digest: the key itself is in the value's header.
        for (byte[] redisKey : hashed) {
          byte[] stored = calls.call(() -> connection.commands().get(redisKey).toCompletableFuture());
          add(stored == null ? null : hashedKey(redisKey, stored));
        }
      }
    }

    /** The key in the header of a hashed key's value; an unreadable one is skipped, counted. */
    private @Nullable K hashedKey(byte[] redisKey, byte[] stored) {
      DecodedValue decoded = format.decode(stored);
      String text = decoded instanceof DecodedValue.Entry entry ? entry.keyText() : null;
      try {
        if (text != null) {
          return keys.parse(text);
        }
      } catch (RuntimeException e) {
        decoded = new DecodedValue.Unreadable(e.toString());
      }
      if (!(decoded instanceof DecodedValue.OtherType)) {
        countUnreadable("Redis key " + new String(redisKey, StandardCharsets.UTF_8),
            decoded.toString());
      }
      return null;
    }

    private void add(@Nullable K key) {
      if (key != null && seen.add(key)) {
        batch.add(key);
      }
    }
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
