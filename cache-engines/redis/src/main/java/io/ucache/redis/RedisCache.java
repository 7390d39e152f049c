package io.ucache.redis;

import io.lettuce.core.GetExArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.ucache.AsyncCache;
import io.ucache.BulkLoader;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheLoadException;
import io.ucache.CacheLoader;
import io.ucache.CacheSerializationException;
import io.ucache.CacheStats;
import io.ucache.CachedValue;
import io.ucache.EngineUnavailableException;
import io.ucache.FailMode;
import io.ucache.ValueCodec;
import io.ucache.spi.CircuitBreaker;
import io.ucache.spi.SingleFlight;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * One named cache of the Redis engine. Every operation is one Redis command, or one pipelined
 * batch of them, on the engine's shared connection, and returns or fails within the timeout.
 *
 * <p>Expiry is Redis's own ({@code PX}): {@code ttl} on every write, {@code expire-after-access}
 * by {@code GETEX PX} on every read. With both, each value carries its absolute write deadline
 * ({@link StoredValue}) and a read extends the key's life to the sooner of the idle limit and that
 * deadline. {@code max-size} is kept approximately: a sorted set {@code <namespace>:<cache>}
 * records the order of writes, and a write that takes the cache over the limit unlinks the
 * oldest keys.
 *
 * <p>Failures: with {@code fail-mode=closed}, a failed or late command throws
 * {@link EngineUnavailableException}; with {@code open}, a read becomes a miss and a write is
 * dropped. Both are counted in {@link CacheStats#errorCount()} and reported to the engine's
 * {@link CircuitBreaker}, which every command asks first: while it is open, commands are not sent
 * ({@link CacheStats#rejectedCount()}). Nothing is queued while disconnected, and a write that
 * failed is never replayed.
 *
 * <p>An eviction that failed ({@code evict}, {@code evictAll}, {@code clear}, a map view
 * removal) is remembered, up to {@value #MAX_PENDING_EVICTIONS} keys (beyond, the whole cache is
 * cleared instead), and applied before the next command of this cache: once Redis answers again,
 * this cache never serves the value an eviction was meant to remove. Unlike a replayed
 * {@code SET}, a repeated {@code UNLINK} can only cost a miss.
 */
final class RedisCache<K, V> implements Cache<K, V> {

  /** Keys asked per SCAN call, and unlinked per UNLINK call, in clear() and keys(). */
  static final int SCAN_BATCH = 1_000;
  /** Extra wait beyond Lettuce's own command timeout, so that its timeout error wins. */
  private static final long GRACE_MILLIS = 250;
  /** Failed evictions remembered by key; beyond this many, the cache is cleared instead. */
  static final int MAX_PENDING_EVICTIONS = 10_000;
  private static final System.Logger LOG = System.getLogger(RedisCache.class.getName());

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
  private static final System.Logger UNREADABLE_LOG = System.getLogger("io.ucache.redis");
  private static final String COMPARE_AND_DELETE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('UNLINK', KEYS[1]) return 1 "
          + "else return 0 end";

  /**
   * The engine that handed this cache out: a user who keeps only the cache keeps the engine
   * reachable too, so the engine's leak guard never closes it under them.
   */
  @SuppressWarnings("unused")
  private volatile @Nullable Object engine;

  private final String name;
  private final CacheConfig config;
  private final Class<K> keyType;
  private final Class<V> valueType;
  private final RedisKeys<K> keys;
  private final ValueCodec<V> codec;
  private final RedisConnection connection;
  private final boolean failOpen;
  private final boolean nullValues;
  private final boolean stats;
  private final long ttlMillis;
  private final long idleMillis;
  private final long maxSize;
  private final byte[] sizeIndex;
  private final long waitMillis;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder loadSuccesses = new LongAdder();
  private final LongAdder loadFailures = new LongAdder();
  private final LongAdder loadNanos = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  /** Redis keys whose eviction failed, with the sequence number of the latest failure. */
  private final ConcurrentHashMap<ByteBuffer, Long> pendingEvictions = new ConcurrentHashMap<>();
  private final AtomicLong pendingSequence = new AtomicLong();
  /** A clear failed, or too many evictions did: the cache is cleared before the next command. */
  private volatile boolean pendingClear;
  /** Whether anything is pending: the one read the common path pays. */
  private volatile boolean pending;
  private final ReentrantLock pendingLock = new ReentrantLock();
  /**
   * With {@code fail-mode=open}: when each thread's last command failed. The commands a thread
   * sends within the timeout after a failure skip Redis, so that one caller's operation (an
   * {@code @UCache} call is a read, a load and a write) waits for at most one timeout, not one
   * per command.
   */
  private final ThreadLocal<long[]> failedAt = ThreadLocal.withInitial(() -> new long[1]);
  /** Whether any thread's command failed lately: the one read the common path pays. */
  private volatile boolean recentFailure;
  private final long timeoutNanos;
  private final java.util.concurrent.atomic.AtomicBoolean unreadableLogged =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final SingleFlight<K> loads = new SingleFlight<>();
  private final RedisAsyncCache<K, V> async;
  private final RedisMapView<K, V> mapView;
  private volatile boolean closed;

  RedisCache(String name, CacheConfig config, Class<K> keyType, Class<V> valueType,
      RedisKeys<K> keys, ValueCodec<V> codec, RedisConnection connection) {
    this.name = name;
    this.config = config;
    this.keyType = keyType;
    this.valueType = valueType;
    this.keys = keys;
    this.codec = codec;
    this.connection = connection;
    this.failOpen = config.failMode() == FailMode.OPEN;
    this.nullValues = config.nullValues();
    this.stats = config.stats();
    this.ttlMillis = config.ttl().map(RedisCache::millis).orElse(0L);
    this.idleMillis = config.expireAfterAccess().map(RedisCache::millis).orElse(0L);
    this.maxSize = config.maxSize().orElse(-1);
    this.sizeIndex = (config.namespace() + ":" + name).getBytes(StandardCharsets.UTF_8);
    this.waitMillis = config.timeout().toMillis() + GRACE_MILLIS;
    this.timeoutNanos = config.timeout().toNanos();
    this.async = new RedisAsyncCache<>(this);
    this.mapView = new RedisMapView<>(this);
  }

  @Override
  public String name() {
    return name;
  }

  // --- reads

  @Override
  public @Nullable V get(K key) {
    CachedValue<V> found = lookup(key);
    return found == null ? null : found.value();
  }

  @Override
  public @Nullable CachedValue<V> lookup(K key) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    byte[] redisKey = keys.encode(key);
    return count(decodeOrDrop(redisKey, call(() -> readRaw(redisKey), null)));
  }

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
      long deadline;
      try {
        deadline = StoredValue.decode(stored).deadline();
      } catch (CacheSerializationException e) {
        return stored; // unreadable: decodeOrDrop drops it
      }
      long left = deadline - System.currentTimeMillis();
      if (deadline > 0 && left <= 0) {
        return null;
      }
      // Fire and forget: the value is read; its next lifetime is only a hint for the server.
      redis.pexpire(redisKey, deadline > 0 ? Math.min(idleMillis, left) : idleMillis);
      return stored;
    });
  }

  /** The value in {@code stored}, or null when absent. */
  @Nullable CachedValue<V> decodeRaw(byte @Nullable [] stored) {
    if (stored == null) {
      return null;
    }
    byte[] body = StoredValue.decode(stored).body();
    return new CachedValue<>(body == null ? null : codec.decode(body));
  }

  /**
   * The value in {@code stored}, read from {@code redisKey}, or null when absent. Bytes that do
   * not decode (another program's value, a truncated one, one of a class that changed or that
   * the codec refuses) are a miss: they are deleted unless replaced meanwhile, and counted in
   * {@link CacheStats#errorCount()}; the first one of the cache is logged at WARNING.
   */
  @Nullable CachedValue<V> decodeOrDrop(byte[] redisKey, byte @Nullable [] stored) {
    try {
      return decodeRaw(stored);
    } catch (CacheSerializationException e) {
      dropUnreadable(redisKey, Objects.requireNonNull(stored), e);
      return null;
    }
  }

  private void dropUnreadable(byte[] redisKey, byte[] stored, CacheSerializationException e) {
    errors.increment();
    try {
      // Not awaited: this may run on Lettuce's event loop. If it fails, the bytes stay a miss.
      connection.commands().eval(COMPARE_AND_DELETE, ScriptOutputType.INTEGER,
          new byte[][] {redisKey}, stored);
    } catch (RuntimeException notConnected) {
      // Still a miss; the next read tries again.
    }
    System.Logger.Level level = unreadableLogged.compareAndSet(false, true)
        ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG;
    UNREADABLE_LOG.log(level, "Cache '" + name + "': a value in Redis could not be read ("
        + e.getMessage() + "); it counts as a miss and was deleted. Was it written by another "
        + "program, or by another version of its class? Further ones are logged at DEBUG");
  }

  /** Counts {@code found} as a hit or a miss and returns it. */
  @Nullable CachedValue<V> countedLookup(@Nullable CachedValue<V> found) {
    return count(found);
  }

  private @Nullable CachedValue<V> count(@Nullable CachedValue<V> found) {
    if (stats) {
      (found == null ? misses : hits).increment();
    }
    return found;
  }

  @Override
  public @Nullable V get(K key, CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(loader, "loader");
    CachedValue<V> found = lookup(key);
    return found != null ? found.value() : loadAfterMiss(key, loader);
  }

  /** Loads {@code key} once per key at a time in this JVM, after a miss was counted. */
  @Nullable V loadAfterMiss(K key, CacheLoader<? super K, ? extends V> loader) {
    @SuppressWarnings("unchecked")
    V value = (V) loads.run(key, () -> {
      checkOpen();
      // A caller that missed just before the previous load stored its value finds it here.
      byte[] redisKey = keys.encode(key);
      CachedValue<V> current = decodeOrDrop(redisKey, call(() -> readRaw(redisKey), null));
      if (current != null) {
        return current.value();
      }
      long start = System.nanoTime();
      V loaded;
      try {
        loaded = loader.load(key);
      } catch (RuntimeException | Error e) {
        recordLoad(false, start);
        throw e;
      } catch (Exception e) {
        recordLoad(false, start);
        throw new CacheLoadException(key, e);
      }
      if (loaded == null && !nullValues) {
        recordLoad(false, start);
        return null;
      }
      recordLoad(true, start);
      // A value put while the loader ran is newer than what it loaded: keep that one.
      CachedValue<V> raced = storeIfAbsent(key, loaded);
      return raced != null ? raced.value() : loaded;
    });
    return value;
  }

  private void recordLoad(boolean success, long start) {
    if (stats) {
      (success ? loadSuccesses : loadFailures).increment();
      loadNanos.add(System.nanoTime() - start);
    }
  }

  @Override
  public Map<K, V> getAll(Iterable<? extends K> keys) {
    checkOpen();
    List<K> asked = distinct(keys);
    if (asked.isEmpty()) {
      return Map.of();
    }
    List<byte @Nullable []> stored = call(() -> readAllRaw(asked), Collections.nCopies(asked.size(), null));
    Map<K, V> found = new LinkedHashMap<>();
    for (int i = 0; i < asked.size(); i++) {
      CachedValue<V> value = count(decodeOrDrop(this.keys.encode(asked.get(i)), stored.get(i)));
      if (value != null) {
        found.put(asked.get(i), value.value());
      }
    }
    return Collections.unmodifiableMap(found);
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

  @Override
  public Map<K, V> getAll(Iterable<? extends K> keys, BulkLoader<K, V> loader) {
    Objects.requireNonNull(loader, "loader");
    List<K> asked = distinct(keys);
    Map<K, V> found = getAll(asked);
    Set<K> missing = new LinkedHashSet<>();
    for (K key : asked) {
      if (!found.containsKey(key)) {
        missing.add(key);
      }
    }
    if (missing.isEmpty()) {
      return found;
    }
    Set<K> missingView = Collections.unmodifiableSet(missing);
    long start = System.nanoTime();
    Map<? extends K, ? extends V> loaded;
    try {
      loaded = loader.loadAll(missingView);
    } catch (RuntimeException | Error e) {
      recordLoad(false, start);
      throw e;
    } catch (Exception e) {
      recordLoad(false, start);
      throw new CacheLoadException(missingView, e);
    }
    recordLoad(true, start);
    Map<K, @Nullable V> toStore = new LinkedHashMap<>();
    Objects.requireNonNull(loaded, "the bulk loader returned null").forEach((k, v) -> {
      if (v != null || nullValues) {
        toStore.put(Objects.requireNonNull(k, "the bulk loader returned a null key"), v);
      }
    });
    if (!toStore.isEmpty()) {
      writeAll(toStore);
    }
    Map<K, V> result = new LinkedHashMap<>();
    for (K key : asked) {
      if (found.containsKey(key)) {
        result.put(key, found.get(key));
      } else if (toStore.containsKey(key)) {
        result.put(key, toStore.get(key));
      }
    }
    return Collections.unmodifiableMap(result);
  }

  // --- writes

  @Override
  public void put(K key, @Nullable V value) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    byte[] redisKey = keys.encode(key);
    byte[] stored = encode(key, redisKey, value, 0);
    call(() -> writeRaw(redisKey, stored, 0), null);
  }

  @Override
  public void put(K key, @Nullable V value, Duration ttl) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    long millis = millis(ttl);
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    byte[] redisKey = keys.encode(key);
    byte[] stored = encode(key, redisKey, value, millis);
    call(() -> writeRaw(redisKey, stored, millis), null);
  }

  /** Sets {@code redisKey}; {@code entryTtl} overrides the cache's TTL when positive. */
  CompletableFuture<Void> writeRaw(byte[] redisKey, byte[] stored, long entryTtl) {
    long px = expiryOfWrite(entryTtl);
    RedisClusterAsyncCommands<byte[], byte[]> redis = connection.commands();
    CompletableFuture<String> set = (px > 0
        ? redis.set(redisKey, stored, SetArgs.Builder.px(px))
        : redis.set(redisKey, stored)).toCompletableFuture();
    return set.thenCompose(ok -> trackSize(List.of(redisKey)));
  }

  /** The PX of a write: the entry's own TTL, else the cache's, capped by the idle limit. */
  private long expiryOfWrite(long entryTtl) {
    long ttl = entryTtl > 0 ? entryTtl : ttlMillis;
    if (idleMillis > 0) {
      return ttl > 0 ? Math.min(ttl, idleMillis) : idleMillis;
    }
    return ttl;
  }

  /** The stored form of {@code value}; throws at once if it cannot be encoded or is a refused null. */
  byte[] encode(K key, byte[] redisKey, @Nullable V value, long entryTtl) {
    if (value == null && !nullValues) {
      throw new NullPointerException("Cache '" + name + "' does not allow null values; set "
          + "null-values=true to cache them");
    }
    byte[] body = value == null ? null : codec.encode(value);
    if (body != null && body.length > config.maxValueBytes()) {
      throw new CacheSerializationException("Cache '" + name + "': the value for key '" + key
          + "' is " + body.length + " bytes encoded, more than max-value-bytes ("
          + config.maxValueBytes() + " bytes); nothing was sent to Redis");
    }
    long ttl = entryTtl > 0 ? entryTtl : ttlMillis;
    long deadline = idleMillis > 0 && ttl > 0 ? System.currentTimeMillis() + ttl : 0;
    return StoredValue.encode(body, deadline, keys.isHashed(redisKey) ? RedisKeys.text(key) : null);
  }

  /** The stored form of a value that must not be null (map view). */
  byte[] encodeNonNull(K key, byte[] redisKey, V value) {
    return encode(key, redisKey, Objects.requireNonNull(value, "value"), 0);
  }

  /** For max-size: records the write order of {@code redisKeys}, unlinks the oldest past the limit. */
  private CompletableFuture<Void> trackSize(List<byte[]> redisKeys) {
    if (maxSize < 0) {
      return CompletableFuture.completedFuture(null);
    }
    RedisClusterAsyncCommands<byte[], byte[]> redis = connection.commands();
    double now = System.nanoTime();
    List<CompletableFuture<Long>> adds = new ArrayList<>();
    for (byte[] redisKey : redisKeys) {
      adds.add(redis.zadd(sizeIndex, now, redisKey).toCompletableFuture());
    }
    return CompletableFuture.allOf(adds.toArray(new CompletableFuture<?>[0]))
        .thenCompose(added -> redis.zcard(sizeIndex))
        .thenCompose(size -> {
          long over = size - maxSize;
          if (over <= 0) {
            return CompletableFuture.completedFuture(null);
          }
          return redis.zpopmin(sizeIndex, over).thenCompose(popped -> {
            byte[][] oldest = popped.stream().map(p -> p.getValue()).toArray(byte[][]::new);
            return oldest.length == 0 ? CompletableFuture.completedFuture(0L)
                : redis.unlink(oldest);
          }).thenAccept(unlinked -> {
            if (stats) {
              evictions.add(unlinked);
            }
          });
        });
  }

  @Override
  public @Nullable CachedValue<V> putIfAbsent(K key, @Nullable V value) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    return storeIfAbsent(key, value);
  }

  private @Nullable CachedValue<V> storeIfAbsent(K key, @Nullable V value) {
    byte[] redisKey = keys.encode(key);
    byte[] stored = encode(key, redisKey, value, 0);
    byte[] present = call(() -> setIfAbsentRaw(redisKey, stored), null);
    CachedValue<V> current = decodeOrDrop(redisKey, present);
    if (present != null && current == null) {
      // Unreadable bytes were there and are deleted now: store this value in their place.
      return decodeOrDrop(redisKey, call(() -> setIfAbsentRaw(redisKey, stored), null));
    }
    return current;
  }

  /** Stores unless present, atomically: null when stored, else the bytes already there. */
  CompletableFuture<byte @Nullable []> setIfAbsentRaw(byte[] redisKey, byte[] stored) {
    long px = expiryOfWrite(0);
    byte[] pxText = (px > 0 ? Long.toString(px) : "").getBytes(StandardCharsets.US_ASCII);
    return connection.commands().<byte @Nullable []>eval(SET_IF_ABSENT, ScriptOutputType.VALUE,
            new byte[][] {redisKey}, stored, pxText).toCompletableFuture()
        .thenCompose(previous -> previous != null
            ? CompletableFuture.completedFuture(previous)
            : trackSize(List.of(redisKey)).thenApply(done -> null));
  }

  /** SET GET: the bytes that were there before, or null. */
  CompletableFuture<byte @Nullable []> replaceRaw(byte[] redisKey, byte[] stored) {
    long px = expiryOfWrite(0);
    RedisClusterAsyncCommands<byte[], byte[]> redis = connection.commands();
    return (px > 0 ? redis.setGet(redisKey, stored, SetArgs.Builder.px(px))
        : redis.setGet(redisKey, stored)).toCompletableFuture()
        .thenCompose(previous -> trackSize(List.of(redisKey)).thenApply(done -> previous));
  }

  /** Sets {@code redisKey} to {@code replacement} only if it holds {@code expected} now. */
  boolean compareAndSet(byte[] redisKey, byte[] expected, byte[] replacement) {
    long px = expiryOfWrite(0);
    byte[] pxText = (px > 0 ? Long.toString(px) : "").getBytes(StandardCharsets.US_ASCII);
    Long done = call(() -> connection.commands().<Long>eval(COMPARE_AND_SET,
        ScriptOutputType.INTEGER, new byte[][] {redisKey}, expected, replacement, pxText)
        .toCompletableFuture(), 0L);
    return done != null && done == 1L;
  }

  /** Deletes {@code redisKey} only if it holds {@code expected} now. */
  boolean compareAndDelete(byte[] redisKey, byte[] expected) {
    Long done = call(() -> connection.commands().<Long>eval(COMPARE_AND_DELETE,
        ScriptOutputType.INTEGER, new byte[][] {redisKey}, expected).toCompletableFuture(), 0L,
        () -> rememberEvictions(new byte[][] {redisKey}));
    return done != null && done == 1L;
  }

  /** GETDEL: the bytes that were there, or null. */
  byte @Nullable [] removeRaw(byte[] redisKey) {
    return call(() -> connection.commands().getdel(redisKey).toCompletableFuture(), null,
        () -> rememberEvictions(new byte[][] {redisKey}));
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> entries) {
    checkOpen();
    Map<K, @Nullable V> copy = new LinkedHashMap<>();
    entries.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key"), v));
    writeAll(copy);
  }

  private void writeAll(Map<K, @Nullable V> entries) {
    if (entries.isEmpty()) {
      return;
    }
    Map<byte[], byte[]> stored = new LinkedHashMap<>();
    entries.forEach((k, v) -> {
      byte[] redisKey = keys.encode(k);
      stored.put(redisKey, encode(k, redisKey, v, 0));
    });
    call(() -> writeAllRaw(stored), null);
  }

  /** One MSET without expiry; else SET PX per entry, pipelined on the one connection. */
  CompletableFuture<Void> writeAllRaw(Map<byte[], byte[]> stored) {
    RedisClusterAsyncCommands<byte[], byte[]> redis = connection.commands();
    long px = expiryOfWrite(0);
    CompletableFuture<Void> written;
    if (px == 0) {
      written = redis.mset(stored).toCompletableFuture().thenApply(ok -> null);
    } else {
      List<CompletableFuture<String>> sets = new ArrayList<>();
      stored.forEach((k, v) -> sets.add(redis.set(k, v, SetArgs.Builder.px(px)).toCompletableFuture()));
      written = CompletableFuture.allOf(sets.toArray(new CompletableFuture<?>[0]));
    }
    return written.thenCompose(done -> trackSize(new ArrayList<>(stored.keySet())));
  }

  @Override
  public void evict(K key) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    byte[][] redisKeys = {keys.encode(key)};
    call(() -> unlinkRaw(redisKeys), null, () -> rememberEvictions(redisKeys));
  }

  @Override
  public void evictAll(Iterable<? extends K> keys) {
    checkOpen();
    List<K> all = distinct(keys);
    if (all.isEmpty()) {
      return;
    }
    byte[][] redisKeys = new byte[all.size()][];
    for (int i = 0; i < redisKeys.length; i++) {
      redisKeys[i] = this.keys.encode(all.get(i));
    }
    call(() -> unlinkRaw(redisKeys), null, () -> rememberEvictions(redisKeys));
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

  /** SCAN MATCH {@code <namespace>:<cache>:*} and UNLINK in batches: never FLUSHDB or KEYS. */
  @Override
  public void clear() {
    checkOpen();
    call(() -> {
      try {
        clearNow();
        return CompletableFuture.<Void>completedFuture(null);
      } catch (EngineUnavailableException e) {
        return CompletableFuture.<Void>failedFuture(e);
      }
    }, null, this::rememberClear);
  }

  /** SCAN and UNLINK until every key of this cache is gone; each round trip within the timeout. */
  private void clearNow() {
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<byte[]> batch = scan(cursor);
      List<byte[]> found = batch.getKeys();
      if (!found.isEmpty()) {
        await(unlinkRaw(found.toArray(new byte[0][])));
      }
      cursor = batch;
    } while (!cursor.isFinished());
    if (maxSize >= 0) {
      await(connection.commands().unlink(new byte[][] {sizeIndex}).toCompletableFuture());
    }
  }

  /** One SCAN call of this cache's keys (on every master in Cluster, one after another). */
  KeyScanCursor<byte[]> scan(ScanCursor cursor) {
    ScanArgs args = ScanArgs.Builder.matches(keys.pattern()).limit(SCAN_BATCH);
    RedisClusterAsyncCommands<byte[], byte[]> redis = connection.commands();
    return await(cursor == ScanCursor.INITIAL ? redis.scan(args).toCompletableFuture()
        : redis.scan(cursor, args).toCompletableFuture());
  }

  // --- views and counters

  @Override
  public CacheStats stats() {
    checkOpen();
    if (!stats) {
      return new CacheStats(0, 0, 0, 0, 0, 0, errors.sum(), rejected.sum());
    }
    return new CacheStats(hits.sum(), misses.sum(), loadSuccesses.sum(), loadFailures.sum(),
        loadNanos.sum(), evictions.sum(), errors.sum(), rejected.sum());
  }

  @Override
  public AsyncCache<K, V> async() {
    checkOpen();
    return async;
  }

  @Override
  public ConcurrentMap<K, V> asMap() {
    checkOpen();
    return mapView;
  }

  /**
   * A lazy SCAN of this cache's keys, one batch at a time as the stream is read; closing it
   * early stops the scan (a SCAN cursor holds nothing on the server). Keys are reported once
   * even where SCAN repeats them, which costs a set of the keys seen.
   */
  @Override
  public Stream<K> keys() {
    checkOpen();
    KeyIterator iterator = new KeyIterator();
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator,
        Spliterator.DISTINCT | Spliterator.NONNULL), false).onClose(iterator::close);
  }

  /** The keys of this cache, lazily: the map view iterates them too. */
  final class KeyIterator implements Iterator<K> {
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

    void close() {
      done = true;
      batch.clear();
    }

    private void fetch() {
      ScanCursor from = cursor;
      KeyScanCursor<byte[]> page = call(() -> {
        try {
          return CompletableFuture.completedFuture(scan(from));
        } catch (EngineUnavailableException e) {
          return CompletableFuture.<KeyScanCursor<byte[]>>failedFuture(e);
        }
      }, null);
      if (page == null) {
        done = true; // fail-mode=open: the failure is counted; the keys end here
        return;
      }
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
          byte[] stored = call(() -> connection.commands().get(redisKey).toCompletableFuture(), null);
          String text = stored == null ? null : StoredValue.decode(stored).key();
          add(text == null ? null : keys.parse(text));
        }
      }
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
    throw new IllegalArgumentException("Cache '" + name + "' of the redis engine has no "
        + type.getName() + "; it has the engine's Lettuce client and connection");
  }

  @Override
  public String toString() {
    return "RedisCache{name=" + name + ", keys=" + keys.pattern() + (closed ? ", closed" : "")
        + "}";
  }

  // --- plumbing

  CacheConfig config() {
    return config;
  }

  RedisKeys<K> redisKeys() {
    return keys;
  }

  boolean failOpen() {
    return failOpen;
  }

  void countError() {
    errors.increment();
  }

  void countRejected() {
    rejected.increment();
    errors.increment();
  }

  CircuitBreaker breaker() {
    return connection.breaker();
  }

  /** Records the engine that handed this cache out; see {@link #engine}. */
  void heldBy(Object engine) {
    this.engine = engine;
  }

  @SuppressWarnings("unchecked")
  <K2, V2> Cache<K2, V2> as(Class<K2> keyType, Class<V2> valueType) {
    if (this.keyType != keyType || this.valueType != valueType) {
      throw new IllegalArgumentException("Cache '" + name + "' holds " + this.keyType.getName()
          + " -> " + this.valueType.getName() + ", not " + keyType.getName() + " -> "
          + valueType.getName());
    }
    return (Cache<K2, V2>) this;
  }

  void close() {
    closed = true;
    if (pending) {
      int keys = pendingEvictions.size();
      LOG.log(System.Logger.Level.WARNING, "Cache '" + name + "' of the redis engine closed "
          + "before Redis at " + connection.where() + " answered again: "
          + (pendingClear ? "a clear" : keys + " evictions") + " that failed during the outage "
          + "cannot be applied now; other processes may read those entries until they expire");
    }
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Cache '" + name + "' is closed: its redis engine was closed");
    }
  }

  /**
   * Runs one Redis operation and waits for it, within the timeout, if the circuit breaker lets
   * it; evictions that failed before are applied first. A failure, or a call the breaker
   * skipped, is counted and throws {@link EngineUnavailableException}, or with
   * {@code fail-mode=open} returns {@code fallback}.
   */
  <T> T call(Supplier<? extends CompletionStage<T>> operation, T fallback) {
    return call(operation, fallback, null);
  }

  /** {@link #call(Supplier, Object)} that runs {@code ifFailed} when the operation did not run. */
  <T> T call(Supplier<? extends CompletionStage<T>> operation, T fallback,
      @Nullable Runnable ifFailed) {
    CircuitBreaker breaker = connection.breaker();
    if ((failOpen && recentFailure && failedLately()) || !breaker.tryAcquire()) {
      countRejected();
      if (ifFailed != null) {
        ifFailed.run();
      }
      if (failOpen) {
        return fallback;
      }
      throw breaker.rejection();
    }
    try {
      applyPendingEvictions();
      T result = await(operation.get());
      breaker.onSuccess();
      return result;
    } catch (EngineUnavailableException e) {
      breaker.onFailure(String.valueOf(e.getMessage()));
      errors.increment();
      if (ifFailed != null) {
        ifFailed.run();
      }
      if (failOpen) {
        failedAt.get()[0] = System.nanoTime();
        recentFailure = true;
        return fallback;
      }
      throw e;
    }
  }

  /** Whether this thread's last command failed within the timeout: then it skips Redis. */
  private boolean failedLately() {
    long[] failed = failedAt.get();
    if (failed[0] != 0 && System.nanoTime() - failed[0] < timeoutNanos) {
      return true;
    }
    failed[0] = 0;
    return false;
  }

  /** Remembers evictions that failed, to apply them before the next command. */
  void rememberEvictions(byte[][] redisKeys) {
    for (byte[] redisKey : redisKeys) {
      pendingEvictions.put(ByteBuffer.wrap(redisKey), pendingSequence.incrementAndGet());
    }
    if (pendingEvictions.size() > MAX_PENDING_EVICTIONS) {
      pendingClear = true; // a clear covers them all, in bounded memory
      pendingEvictions.clear();
    }
    pending = true;
  }

  private void rememberClear() {
    pendingClear = true;
    pending = true;
  }

  /**
   * Applies the evictions that failed earlier, before this cache's next command: after an outage
   * no read may find a value that an eviction during it was meant to remove. One thread applies
   * them; others wait for it, within the timeout.
   *
   * @throws EngineUnavailableException if they cannot be applied now
   */
  void applyPendingEvictions() {
    if (!pending) {
      return;
    }
    boolean locked;
    try {
      locked = pendingLock.tryLock(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineUnavailableException(RedisEngineProvider.NAME, "Interrupted while "
          + "applying the evictions of cache '" + name + "' that failed earlier");
    }
    if (!locked) {
      throw new EngineUnavailableException(RedisEngineProvider.NAME, "Redis at "
          + connection.where() + " did not apply the evictions of cache '" + name + "' that "
          + "failed earlier within " + config.timeout());
    }
    try {
      if (!pending) {
        return;
      }
      Map<ByteBuffer, Long> applied = new LinkedHashMap<>(pendingEvictions);
      if (pendingClear) {
        pendingClear = false; // before: a clear failing meanwhile sets it again
        try {
          clearNow();
        } catch (EngineUnavailableException e) {
          pendingClear = true;
          throw e;
        }
      } else if (!applied.isEmpty()) {
        byte[][] redisKeys = applied.keySet().stream().map(ByteBuffer::array)
            .toArray(byte[][]::new);
        await(unlinkRaw(redisKeys));
      }
      // Only the failures seen before: one that came meanwhile stays for the next command.
      applied.forEach(pendingEvictions::remove);
      pending = false;
      if (pendingClear || !pendingEvictions.isEmpty()) {
        pending = true;
      }
    } finally {
      pendingLock.unlock();
    }
  }

  /** Waits for {@code stage}; an engine failure becomes {@link EngineUnavailableException}. */
  <T> T await(CompletionStage<T> stage) {
    CompletableFuture<T> future = stage.toCompletableFuture();
    try {
      return future.get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new EngineUnavailableException(RedisEngineProvider.NAME, "Interrupted while waiting "
          + "for Redis at " + connection.where());
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new EngineUnavailableException(RedisEngineProvider.NAME, "Redis at "
          + connection.where() + " did not answer within " + config.timeout());
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    } catch (CancellationException e) {
      throw failure(e);
    }
  }

  /** What a failed Redis future should throw: engine failures as {@link EngineUnavailableException}. */
  RuntimeException failure(@Nullable Throwable cause) {
    Throwable t = cause;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof EngineUnavailableException e) {
      return e;
    }
    // Lettuce can also fail a command with the channel's own IOException (a connection reset
    // when the server dies mid-reply): that is the engine being unavailable too.
    if (t instanceof RedisException || t instanceof IOException
        || t instanceof CancellationException || t == null) {
      return connection.unavailable("Redis at " + connection.where() + " failed on cache '"
          + name + "'", t == null ? new RedisException("no cause") : t);
    }
    if (t instanceof RuntimeException runtime) {
      return runtime;
    }
    if (t instanceof Error error) {
      throw error;
    }
    return new CompletionException(t);
  }

  private static <K> List<K> distinct(Iterable<? extends K> keys) {
    Set<K> set = new LinkedHashSet<>();
    for (K key : keys) {
      set.add(Objects.requireNonNull(key, "key"));
    }
    return new ArrayList<>(set);
  }

  private static long millis(Duration duration) {
    try {
      return Math.max(1, duration.toMillis());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }
}
