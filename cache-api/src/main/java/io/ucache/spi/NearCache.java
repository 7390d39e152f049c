package io.ucache.spi;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ucache.CacheConfig;
import io.ucache.NearStats;
import io.ucache.NearStats.FlushCause;
import io.ucache.Ticker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The near cache of one cache of a shared engine: a bounded Caffeine map of the values this
 * process read (decoded, so a hit decodes nothing), dropped when the engine's feed says a key
 * changed, and served only while that feed is live ({@link NearFeed}).
 *
 * <p><b>No old value survives an invalidation.</b> A read notes, before it asks the engine, its
 * key's change counter (one of {@link #STRIPES}, by hash) and the cache's generation; it stores
 * what it read only if neither moved, checked inside {@code compute} on the key. An invalidation
 * moves the counter first and removes the key after, through the same map, so either the read
 * sees the moved counter and stores nothing, or its entry is in place before the removal, which
 * takes it. A flush (the feed lost or restored, the cache cleared) starts a new generation:
 * entries of an older one are misses at once, whatever is still in the map.
 *
 * <p>Concurrent misses of one key share one read of the engine. Entries live at most
 * {@code near.max-staleness} (and the cache's {@code ttl}), whatever the feed says, counted from
 * before the read that made them, on {@link NearClock} (up to one tick more). Thread-safe.
 *
 * @param <K> the key type
 */
final class NearCache<K> {

  /**
   * The copy of a key the engine does not hold: a miss served here, and what tells a load about
   * to start that no other load stored the key since (see {@link #peek}).
   */
  static final Object ABSENT = new Object() {
    @Override
    public String toString() {
      return "absent";
    }
  };

  /** Change counters: a key's stripe moving only ever costs a read its store. */
  static final int STRIPES = 1024;

  /** A stored value, of the generation that read it, served until {@code expiresAt}. */
  private record Entry(Object value, Generation generation, long expiresAt) {}

  /** Compared by identity: one per flush. */
  private static final class Generation {}

  private final Cache<K, Entry> entries;
  private final NearFeed feed;
  private final NearCounters<K> counters;
  private final AtomicLongArray changes = new AtomicLongArray(STRIPES);
  private final ConcurrentHashMap<K, CompletableFuture<@Nullable Object>> reads =
      new ConcurrentHashMap<>();
  private volatile Generation generation = new Generation();
  /** How long an entry is served, in nanoseconds. */
  private final long life;
  /** The configuration's ticker when one was injected (tests); else {@link NearClock}. */
  private final @Nullable Ticker ticker;

  /**
   * A near cache of {@code config}; unless its ticker was injected, the engine holds a
   * {@link NearClock} lease while it is open.
   */
  NearCache(CacheConfig config, NearFeed feed) {
    this.feed = feed;
    this.counters = new NearCounters<>(config.stats());
    Duration life = config.nearMaxStaleness();
    if (config.ttl().isPresent() && config.ttl().get().compareTo(life) < 0) {
      life = config.ttl().get();
    }
    this.life = life.toNanos();
    this.ticker = usesNearClock(config) ? null : config.ticker();
    // No Caffeine expiry: it would read the clock on every hit. Entries carry their deadline.
    this.entries = Caffeine.newBuilder()
        .maximumSize(config.nearMaxSize())
        .executor(Runnable::run)
        .build();
  }

  /** Whether a near cache of {@code config} reads {@link NearClock} (no ticker injected). */
  static boolean usesNearClock(CacheConfig config) {
    return config.ticker() == Ticker.system();
  }

  private long now() {
    Ticker injected = ticker;
    return injected == null ? NearClock.now() : injected.read();
  }

  private boolean serves(@Nullable Entry entry) {
    return entry != null && entry.generation == generation && now() - entry.expiresAt < 0;
  }

  /**
   * The value of {@code key}: this process's copy, else what {@code engineRead} gives (a decoded
   * value, the null marker, or {@code null} for none), stored here unless a change raced it.
   */
  @Nullable Object get(K key, Function<K, @Nullable Object> engineRead) {
    Entry entry = entries.getIfPresent(key);
    if (serves(entry)) {
      counters.hit();
      return entry.value == ABSENT ? null : entry.value;
    }
    return read(key, engineRead);
  }

  private @Nullable Object read(K key, Function<K, @Nullable Object> engineRead) {
    CompletableFuture<@Nullable Object> mine = new CompletableFuture<>();
    CompletableFuture<@Nullable Object> running = reads.putIfAbsent(key, mine);
    if (running != null) {
      try {
        return running.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    try {
      Generation seenGeneration = generation;
      int stripe = stripe(key);
      long seenChanges = changes.get(stripe);
      boolean live = feed.isLive();
      long expiresAt = now() + life; // from before the read: never later than its value's life
      counters.miss();
      Object value = engineRead.apply(key);
      if (live) {
        Object copy = value == null ? ABSENT : value;
        entries.asMap().compute(key, (k, old) ->
            changes.get(stripe) == seenChanges && generation == seenGeneration && feed.isLive()
                ? new Entry(copy, seenGeneration, expiresAt) : null);
      }
      mine.complete(value);
      return value;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      reads.remove(key, mine);
    }
  }

  /**
   * This process's copy of {@code key} ({@link #ABSENT} when it knows the engine holds none), or
   * {@code null} when it has none: never reads the engine.
   */
  @Nullable Object peek(K key) {
    Entry entry = entries.getIfPresent(key);
    return serves(entry) ? entry.value : null;
  }

  /**
   * Keeps {@code value}, just stored in the engine by this process, as the copy of {@code key},
   * unless a change or flush comes first: one that comes later removes it as any copy.
   */
  void store(K key, Object value) {
    Generation seenGeneration = generation;
    int stripe = stripe(key);
    long seenChanges = changes.get(stripe);
    if (!feed.isLive()) {
      return;
    }
    long expiresAt = now() + life;
    entries.asMap().compute(key, (k, old) ->
        changes.get(stripe) == seenChanges && generation == seenGeneration && feed.isLive()
            ? new Entry(value, seenGeneration, expiresAt) : null);
  }

  /** This process starts writing {@code key}: its invalidation is timed (see {@link #stats}). */
  void writing(K key) {
    counters.writing(key);
  }

  /** This process changed {@code key}: its copy and any read in flight go. */
  void changedHere(K key) {
    counters.acknowledged(key);
    invalidate(key);
  }

  /** The feed says {@code key} changed (in any process): its copy and any read in flight go. */
  void changedByFeed(K key) {
    counters.echoed(key);
    invalidate(key);
  }

  /** {@code key} changed: its copy and any read in flight go. */
  void invalidate(K key) {
    changes.incrementAndGet(stripe(key));
    reads.remove(key); // later callers must not share a read older than the change
    entries.invalidate(key);
  }

  /** Every key may have changed: a new generation, and the old entries go. */
  void flush(FlushCause cause) {
    generation = new Generation();
    reads.clear();
    entries.invalidateAll();
    counters.flushed(cause);
  }

  NearStats stats() {
    return counters.snapshot();
  }

  private static int stripe(Object key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }
}
