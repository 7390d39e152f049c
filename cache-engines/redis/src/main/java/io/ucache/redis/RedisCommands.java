package io.ucache.redis;

import io.lettuce.core.GetExArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.ucache.spi.DecodedValue;
import io.ucache.spi.StoredValueFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The Redis commands of one {@link RedisCache}, started and not awaited: reads that reset an
 * entry's idle time, writes with their {@code PX} and the {@code max-size} index, the
 * set-if-absent and compare scripts, {@code UNLINK} and {@code SCAN} over the cache's keys. The
 * cache sends them through {@link RedisCalls} (circuit breaker, failed evictions, the timeout);
 * its asynchronous view and its leases compose them with their own commands.
 *
 * <p>{@code max-size} is kept approximately: a sorted set {@code <namespace>:<cache>} records the
 * order of writes, and a write that takes the cache over the limit unlinks the oldest keys.
 *
 * <p>Thread-safe: it holds the cache's settings and the engine's shared connection.
 */
final class RedisCommands<K> {

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
  private final StoredValueFormat format;
  private final RedisConnection connection;
  /** The cache's ttl with its stale windows, in ms; 0 for none. */
  private final long ttlMillis;
  /** {@code expire-after-access} in ms; 0 for none. */
  private final long idleMillis;
  /** {@code max-size}; negative for none. */
  private final long maxSize;
  private final byte[] sizeIndex;
  /** Told how many keys a write unlinked to keep {@code max-size}. */
  private final LongConsumer evictions;

  RedisCommands(RedisKeys<K> keys, StoredValueFormat format, RedisConnection connection,
      long ttlMillis, long idleMillis, long maxSize, LongConsumer evictions) {
    this.keys = keys;
    this.format = format;
    this.connection = connection;
    this.ttlMillis = ttlMillis;
    this.idleMillis = idleMillis;
    this.maxSize = maxSize;
    this.sizeIndex = keys.sizeIndex();
    this.evictions = evictions;
  }

  /**
   * The stored bytes of {@code redisKey}, its idle time reset, or null when absent or past its
   * deadline.
   */
  CompletableFuture<byte @Nullable []> read(byte[] redisKey) {
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

  /** A plain GET, which leaves the idle time alone (a scan reading a hashed key's header). */
  CompletableFuture<byte @Nullable []> peek(byte[] redisKey) {
    return connection.commands().get(redisKey).toCompletableFuture();
  }

  /** One MGET (split by slot in Cluster), or pipelined reads when a read must reset expiry. */
  CompletableFuture<List<byte @Nullable []>> readAll(List<K> asked) {
    byte[][] redisKeys = new byte[asked.size()][];
    for (int i = 0; i < redisKeys.length; i++) {
      redisKeys[i] = keys.encode(asked.get(i));
    }
    if (idleMillis > 0) {
      List<CompletableFuture<byte @Nullable []>> reads = new ArrayList<>();
      for (byte[] redisKey : redisKeys) {
        reads.add(read(redisKey));
      }
      return all(reads);
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
  CompletableFuture<Void> write(byte[] redisKey, byte[] stored, long entryTtl) {
    long px = expiryOf(stored, entryTtl);
    RedisClusterAsyncCommands<byte[], byte[]> redis = connection.commands();
    CompletableFuture<String> set = (px > 0
        ? redis.set(redisKey, stored, SetArgs.Builder.px(px))
        : redis.set(redisKey, stored)).toCompletableFuture();
    return set.thenCompose(ok -> trackSize(List.of(redisKey)));
  }

  /** One MSET when nothing expires; else SET (PX) per entry, pipelined on the one connection. */
  CompletableFuture<Void> writeAll(Map<byte[], byte[]> stored) {
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

  /** Stores unless present, atomically: null when stored, else the bytes already there. */
  CompletableFuture<byte @Nullable []> setIfAbsent(byte[] redisKey, byte[] stored) {
    return connection.commands().<byte @Nullable []>eval(SET_IF_ABSENT, ScriptOutputType.VALUE,
            new byte[][] {redisKey}, stored, pxText(stored)).toCompletableFuture()
        .thenCompose(previous -> previous != null
            ? CompletableFuture.completedFuture(previous)
            : trackSize(List.of(redisKey)).thenApply(done -> null));
  }

  /** {@link #setIfAbsent} of every entry, pipelined in one round: per entry, what was there. */
  CompletableFuture<List<byte @Nullable []>> setAllIfAbsent(List<byte[]> redisKeys,
      List<byte[]> stored) {
    List<CompletableFuture<byte @Nullable []>> sets = new ArrayList<>(redisKeys.size());
    for (int i = 0; i < redisKeys.size(); i++) {
      sets.add(setIfAbsent(redisKeys.get(i), stored.get(i)));
    }
    return all(sets);
  }

  /** Sets the key to {@code replacement} only if it holds {@code expected} now (a Lua script). */
  CompletableFuture<Boolean> compareAndSet(byte[] redisKey, byte[] expected, byte[] replacement) {
    return connection.commands().<Long>eval(COMPARE_AND_SET, ScriptOutputType.INTEGER,
            new byte[][] {redisKey}, expected, replacement, pxText(replacement))
        .toCompletableFuture().thenApply(RedisCommands::isOne);
  }

  /** SET GET: the bytes that were there before, or null. */
  CompletableFuture<byte @Nullable []> swap(byte[] redisKey, byte[] stored) {
    long px = expiryOf(stored, 0);
    RedisClusterAsyncCommands<byte[], byte[]> redis = connection.commands();
    return (px > 0 ? redis.setGet(redisKey, stored, SetArgs.Builder.px(px))
        : redis.setGet(redisKey, stored)).toCompletableFuture()
        .thenCompose(previous -> trackSize(List.of(redisKey)).thenApply(done -> previous));
  }

  /** One UNLINK (split by slot in Cluster), and the keys out of the size index. */
  CompletableFuture<Void> unlink(byte[][] redisKeys) {
    RedisClusterAsyncCommands<byte[], byte[]> redis = connection.commands();
    CompletableFuture<Long> unlinked = redis.unlink(redisKeys).toCompletableFuture();
    if (maxSize < 0) {
      return unlinked.thenApply(n -> null);
    }
    CompletableFuture<Long> untracked = redis.zrem(sizeIndex, redisKeys).toCompletableFuture();
    return CompletableFuture.allOf(unlinked, untracked);
  }

  /** Deletes the key only if it holds {@code expected} now (a Lua script): whether it did. */
  CompletableFuture<Boolean> compareAndDelete(byte[] redisKey, byte[] expected) {
    return connection.commands().<Long>eval(COMPARE_AND_DELETE, ScriptOutputType.INTEGER,
        new byte[][] {redisKey}, expected).toCompletableFuture().thenApply(RedisCommands::isOne);
  }

  /** GETDEL: the bytes that were there, or null. */
  CompletableFuture<byte @Nullable []> getAndDelete(byte[] redisKey) {
    return connection.commands().getdel(redisKey).toCompletableFuture()
        .thenCompose(previous -> untrack(redisKey).thenApply(done -> previous));
  }

  /** One SCAN call of this cache's keys (on every master in Cluster, one after another). */
  CompletableFuture<KeyScanCursor<byte[]>> scan(ScanCursor cursor) {
    ScanArgs args = ScanArgs.Builder.matches(keys.pattern()).limit(SCAN_BATCH);
    RedisClusterAsyncCommands<byte[], byte[]> redis = connection.commands();
    return cursor == ScanCursor.INITIAL ? redis.scan(args).toCompletableFuture()
        : redis.scan(cursor, args).toCompletableFuture();
  }

  /** Unlinks the {@code max-size} index, after a clear; nothing without one. */
  CompletableFuture<Void> dropSizeIndex() {
    if (maxSize < 0) {
      return CompletableFuture.completedFuture(null);
    }
    return connection.commands().unlink(new byte[][] {sizeIndex}).toCompletableFuture()
        .thenApply(n -> null);
  }

  /**
   * The PX of writing {@code stored}: {@code entryTtl} when positive, else the deadline the
   * cache encoded in the bytes, else the cache's TTL; capped by the idle limit; 0 for none.
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

  /**
   * For max-size: records the write order of {@code redisKeys}, unlinks the oldest past the
   * limit.
   */
  CompletableFuture<Void> trackSize(List<byte[]> redisKeys) {
    if (maxSize < 0) {
      return CompletableFuture.completedFuture(null);
    }
    return SizeIndex.track(connection.commands(), sizeIndex, maxSize, redisKeys)
        .thenAccept(evictions::accept);
  }

  /** ZREM from the size index, when there is one. */
  private CompletableFuture<Void> untrack(byte[] redisKey) {
    if (maxSize < 0) {
      return CompletableFuture.completedFuture(null);
    }
    return connection.commands().zrem(sizeIndex, redisKey).toCompletableFuture()
        .thenApply(n -> null);
  }

  /** The PX argument of a script writing {@code stored}: its expiry, or empty for none. */
  private byte[] pxText(byte[] stored) {
    long px = expiryOf(stored, 0);
    return (px > 0 ? Long.toString(px) : "").getBytes(StandardCharsets.US_ASCII);
  }

  private static boolean isOne(@Nullable Long reply) {
    return reply != null && reply == 1L;
  }

  /** The results of {@code started}, in order, once all are done. */
  private static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> started) {
    return CompletableFuture.allOf(started.toArray(new CompletableFuture<?>[0]))
        .thenApply(done -> {
          List<T> out = new ArrayList<>(started.size());
          started.forEach(future -> out.add(future.join()));
          return out;
        });
  }
}
