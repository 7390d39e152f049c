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
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The near cache of one cache of a shared engine: a bounded Caffeine map of the values this
 * process read (decoded, so a hit decodes nothing), dropped when the engine's feed says a key
 * changed, and served only while that feed is live ({@link NearFeed}).
 *
 * <p><b>No old value survives an invalidation.</b> A read notes, before it asks the engine, its
 * key's change counter (one of {@link #STRIPES}, by hash) and the current map; it stores what it
 * read only if the counter did not move and the map is still current, checked inside
 * {@code compute} on the key. An invalidation moves the counter first and removes the key after,
 * through the same map, so either the read sees the moved counter and stores nothing, or its
 * entry is in place before the removal, which takes it. A flush (the feed lost or restored, the
 * cache cleared) replaces the map: a read that began before stores into the old one, which
 * nobody reads.
 *
 * <p>Concurrent misses of one key share one read of the engine. Entries live at most
 * {@code near.max-staleness} (and the shortest life of an entry of the cache: {@code ttl} less
 * its {@code ttl-jitter}, {@code null-ttl}) from when they are stored, whatever
 * the feed says, on {@link NearClock} (up to one tick more): Caffeine's expiry reads that clock,
 * a volatile field, where {@link System#nanoTime()} would cost a hit more than the lookup.
 * Values are stored as they are, so a hit is one Caffeine lookup. Thread-safe.
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

  private final NearFeed feed;
  private final NearCounters<K> counters;
  private final AtomicLongArray changes = new AtomicLongArray(STRIPES);
  private final ConcurrentHashMap<K, CompletableFuture<@Nullable Object>> reads =
      new ConcurrentHashMap<>();
  private final long maxSize;
  /** How long an entry is served. */
  private final Duration life;
  /** The configuration's ticker when one was injected (tests); else {@link NearClock}. */
  private final com.github.benmanes.caffeine.cache.Ticker ticker;
  /**
   * The copies: a new map at each flush. Read through Caffeine's map view: its {@code get} is a
   * call site of this class, so it stays monomorphic and inlined on a hit where
   * {@code Cache.getIfPresent} dispatches from a call site every Caffeine cache of the JVM shares.
   */
  private volatile ConcurrentMap<K, Object> entries;

  /**
   * A near cache of {@code config}; unless its ticker was injected, the engine holds a
   * {@link NearClock} lease while it is open.
   */
  NearCache(CacheConfig config, NearFeed feed) {
    this.feed = feed;
    this.counters = new NearCounters<>(config.stats());
    this.life = life(config);
    this.maxSize = config.nearMaxSize();
    Ticker injected = config.ticker();
    this.ticker = usesNearClock(config) ? NearClock::now : injected::read;
    this.entries = newMap();
  }

  /**
   * How long a copy is served: {@code near.max-staleness}, and never longer than the shortest
   * life an entry of the cache may have ({@code ttl} less its jitter, {@code null-ttl}), so no
   * copy outlives its entry while the engine's expiry of it is yet to be noticed.
   */
  private static Duration life(CacheConfig config) {
    Duration life = config.nearMaxStaleness();
    if (config.ttl().isPresent()) {
      Duration ttl = config.ttl().get();
      life = shorter(life, Duration.ofNanos((long) (ttl.toNanos() * (1 - config.ttlJitter()))));
    }
    return config.nullTtl().isPresent() ? shorter(life, config.nullTtl().get()) : life;
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private ConcurrentMap<K, Object> newMap() {
    Cache<K, Object> map = Caffeine.newBuilder()
        .maximumSize(maxSize)
        .expireAfterWrite(life)
        .ticker(ticker)
        .build();
    return map.asMap();
  }

  /** Whether a near cache of {@code config} reads {@link NearClock} (no ticker injected). */
  static boolean usesNearClock(CacheConfig config) {
    return config.ticker() == Ticker.system();
  }

  /**
   * This process's copy of {@code key}: a decoded value, the null marker, {@link #ABSENT} (the
   * engine holds none), or {@code null} when there is no copy or the feed is not live (it is
   * marked lost before the copies are flushed). Counts nothing: the caller says
   * what it served ({@link #servedHit}, {@link #servedMiss}, {@link #servedToBulk}).
   */
  @Nullable Object copy(K key) {
    // The feed is marked lost before the copies are flushed: none is served in between.
    return feed.isLive() ? entries.get(key) : null;
  }

  /** A copy was served as a hit of the cache. */
  void servedHit() {
    counters.servedHit();
  }

  /** A copy was served as a miss of the cache ({@link #ABSENT}, or a null the cache hides). */
  void servedMiss() {
    counters.servedMiss();
  }

  /** A copy was served to a bulk read, which counts its hits and misses itself. */
  void servedToBulk() {
    counters.servedToBulk();
  }

  /**
   * What {@code engineRead} gives for {@code key} (a decoded value, the null marker, or
   * {@code null} for none), kept as the copy unless a change raced it; concurrent callers share
   * one read.
   */
  @Nullable Object read(K key, Function<K, @Nullable Object> engineRead) {
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
      ConcurrentMap<K, Object> map = entries;
      int stripe = stripe(key);
      long seenChanges = changes.get(stripe);
      boolean live = feed.isLive();
      counters.miss();
      Object value = engineRead.apply(key);
      if (live) {
        keep(map, key, value == null ? ABSENT : value, stripe, seenChanges);
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
    return feed.isLive() ? entries.get(key) : null;
  }

  /**
   * Keeps {@code value}, just stored in the engine by this process, as the copy of {@code key},
   * unless a change or flush comes first: one that comes later removes it as any copy.
   */
  void store(K key, Object value) {
    ConcurrentMap<K, Object> map = entries;
    int stripe = stripe(key);
    long seenChanges = changes.get(stripe);
    if (feed.isLive()) {
      keep(map, key, value, stripe, seenChanges);
    }
  }

  /**
   * Stores {@code copy} in {@code map} unless the key's stripe moved since {@code seenChanges},
   * the map was replaced by a flush, or the feed was lost: checked inside {@code compute}, which
   * an invalidation's removal of the key waits for.
   */
  private void keep(ConcurrentMap<K, Object> map, K key, Object copy, int stripe, long seenChanges) {
    map.compute(key, (k, old) ->
        changes.get(stripe) == seenChanges && entries == map && feed.isLive() ? copy : null);
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

  /**
   * The feed says {@code key} changed (in any process): its copy and any read in flight go, and
   * only then is it counted, so a reader that sees the count sees the copy gone.
   */
  void changedByFeed(K key) {
    invalidate(key);
    counters.echoed(key);
  }

  /** {@code key} changed: its copy and any read in flight go. */
  void invalidate(K key) {
    changes.incrementAndGet(stripe(key));
    reads.remove(key); // later callers must not share a read older than the change
    entries.remove(key);
  }

  /** Every key may have changed: a new, empty map. */
  void flush(FlushCause cause) {
    ConcurrentMap<K, Object> old = entries;
    entries = newMap();
    reads.clear();
    old.clear(); // for the collector: nobody reads it any more
    counters.flushed(cause);
  }

  NearStats stats() {
    return counters.snapshot();
  }

  /** Copies served as the cache's hits (see {@link NearCounters}). */
  long servedHits() {
    return counters.servedHits();
  }

  /** Copies served as the cache's misses. */
  long servedMisses() {
    return counters.servedMisses();
  }

  private static int stripe(Object key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }
}
