package io.ucache.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanCursor;
import io.ucache.spi.DecodedValue;
import io.ucache.spi.StoredValueFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A lazy SCAN of one {@link RedisCache}'s keys, one batch at a time, for {@code keys()}; closing
 * it early stops the scan (a SCAN cursor holds nothing on the server). Keys are reported once even
 * where SCAN repeats them, which costs a set of the keys seen. A hashed key's name is a digest:
 * its key is read from its value's header, and a header that cannot be read is skipped and
 * counted. Engine failures are thrown for the template. Not thread-safe, as an iterator.
 */
final class RedisKeyScan<K> implements Iterator<K>, AutoCloseable {

  private final RedisCache<K, ?> cache;
  private final RedisKeys<K> keys;
  private final RedisCommands<K> commands;
  private final RedisCalls calls;
  private final StoredValueFormat format;
  private final ArrayDeque<K> batch = new ArrayDeque<>();
  private final Set<K> seen = new HashSet<>();
  private ScanCursor cursor = ScanCursor.INITIAL;
  private boolean done;

  RedisKeyScan(RedisCache<K, ?> cache, StoredValueFormat format) {
    this.cache = cache;
    this.keys = cache.redisKeys();
    this.commands = cache.commands();
    this.calls = cache.calls();
    this.format = format;
  }

  @Override
  public boolean hasNext() {
    cache.ensureOpen();
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
    KeyScanCursor<byte[]> page = calls.call(() -> commands.scan(from));
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
    for (byte[] redisKey : hashed) {
      byte[] stored = calls.call(() -> commands.peek(redisKey));
      add(stored == null ? null : hashedKey(redisKey, stored));
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
      cache.unreadableKey("Redis key " + new String(redisKey, StandardCharsets.UTF_8),
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
