package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.EngineHealth;
import io.ucache.NearStats;
import io.ucache.NearStats.FlushCause;
import io.ucache.context.EngineManager;
import io.ucache.testkit.FakeTicker;
import io.ucache.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The near cache's rules ({@code near.enabled=true}) against a real redis-server: hits read no
 * Redis, changes by another process arrive, a read racing an invalidation never keeps the old
 * value, and a lost feed (a killed connection, a paused or restarted server) empties the near
 * caches and bypasses them until tracking is back. Another engine on the same namespace plays
 * the other process; Redis' own command counters tell which reads reached it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisNearCacheTest {

  private static final Duration AWAIT = Duration.ofSeconds(20);
  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  /** A value whose decoding waits at {@link #GATE} while it is armed for the text given. */
  public record Slow(String text) {
    static final AtomicReference<String> BLOCKED_TEXT = new AtomicReference<>();
    static final AtomicReference<CountDownLatch> ARRIVED = new AtomicReference<>();
    static final AtomicReference<CountDownLatch> GATE = new AtomicReference<>();

    public Slow {
      if (text.equals(BLOCKED_TEXT.get())) {
        ARRIVED.get().countDown();
        try {
          GATE.get().await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private final String namespace = "near-rules-" + NAMESPACES.incrementAndGet();
  private final List<CacheEngine> engines = new ArrayList<>();

  @AfterEach
  void closeEngines() {
    redis.resume();
    redis.start(); // after a test that stopped it; does nothing when it runs
    Slow.BLOCKED_TEXT.set(null);
    engines.forEach(CacheEngine::close);
  }

  private CacheEngine engine(boolean near, java.util.function.UnaryOperator<CacheConfig.Builder>
      customize) {
    CacheConfig.Builder builder = CacheConfig.builder().engine("redis")
        .set("redis.url", redis.url()).namespace(namespace).nearEnabled(near);
    CacheEngine engine = EngineManager.getDefault().create(customize.apply(builder).build());
    engines.add(engine);
    return engine;
  }

  private CacheEngine nearEngine() {
    return engine(true, b -> b);
  }

  /** The other process: no near cache, the same namespace. */
  private CacheEngine otherProcess() {
    return engine(false, b -> b);
  }

  private static RedisEngine redisEngine(CacheEngine engine) {
    return engine.unwrap(RedisEngine.class);
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waited for " + what).isNegative();
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static void awaitLive(CacheEngine engine) {
    await("the near feed to be live", () -> redisEngine(engine).nearLive());
  }

  /**
   * Puts, then waits for the feed's echo of the write: every write under the namespace, this
   * process's too, comes back as an invalidation, which would drop a copy made before it.
   */
  private static void putAndSettle(CacheEngine engine, Cache<String, String> cache, String key,
      String value) {
    long before = cache.stats().near().invalidationCount();
    cache.put(key, value);
    await("the echo of the write", () -> cache.stats().near().invalidationCount() > before);
  }

  /** How many GET commands the server has run. */
  private static long gets() {
    Matcher m = Pattern.compile("cmdstat_get:calls=(\\d+)")
        .matcher(redis.cli("INFO", "commandstats"));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @Test
  void get_nearCopy_servesHitsWithoutRedis() {
    CacheEngine engine = nearEngine();
    Cache<String, String> cache = engine.cache("prices", String.class, String.class);
    awaitLive(engine);
    putAndSettle(engine, cache, "ACME", "12");
    assertThat(cache.get("ACME")).isEqualTo("12");
    long before = gets();

    for (int i = 0; i < 10; i++) {
      assertThat(cache.get("ACME")).isEqualTo("12");
    }

    assertThat(gets()).as("GETs after the copy was made").isEqualTo(before);
    assertThat(cache.stats().hitCount()).isEqualTo(11);
  }

  @Test
  void ownWrites_visibleToTheNextRead() {
    CacheEngine engine = nearEngine();
    Cache<String, String> cache = engine.cache("prices", String.class, String.class);
    awaitLive(engine);
    cache.put("ACME", "12");
    assertThat(cache.get("ACME")).isEqualTo("12");

    cache.put("ACME", "13");
    assertThat(cache.get("ACME")).isEqualTo("13");
    cache.evict("ACME");
    assertThat(cache.get("ACME")).isNull();
    cache.put("ACME", "14");
    assertThat(cache.get("ACME")).isEqualTo("14");
    cache.clear();
    assertThat(cache.get("ACME")).isNull();
  }

  @Test
  void otherProcessWrites_reachTheNearCopy() {
    CacheEngine engine = nearEngine();
    Cache<String, String> near = engine.cache("prices", String.class, String.class);
    Cache<String, String> other = otherProcess().cache("prices", String.class, String.class);
    awaitLive(engine);
    other.put("ACME", "12");
    assertThat(near.get("ACME")).isEqualTo("12");

    other.put("ACME", "13");
    await("the change to reach the near cache", () -> "13".equals(near.get("ACME")));
    other.evict("ACME");
    await("the eviction to reach the near cache", () -> near.get("ACME") == null);
  }

  @Test
  void readRacingAnInvalidation_neverLeavesTheOldValue() throws Exception {
    CacheEngine engine = nearEngine();
    Cache<String, Slow> near = engine.cache("slow", String.class, Slow.class);
    Cache<String, Slow> other = otherProcess().cache("slow", String.class, Slow.class);
    awaitLive(engine);
    other.put("k", new Slow("old"));
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    Slow.ARRIVED.set(arrived);
    Slow.GATE.set(gate);
    Slow.BLOCKED_TEXT.set("old");

    // The reader has the old bytes from Redis and is decoding them when the change lands.
    CompletableFuture<Slow> reader = CompletableFuture.supplyAsync(() -> near.get("k"));
    assertThat(arrived.await(AWAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    long invalidations = near.stats().near().invalidationCount();
    other.put("k", new Slow("new"));
    await("the invalidation", () -> near.stats().near().invalidationCount() > invalidations);
    gate.countDown();

    assertThat(reader.get(AWAIT.toSeconds(), TimeUnit.SECONDS).text())
        .as("the read began before the change").isEqualTo("old");
    Slow.BLOCKED_TEXT.set(null);
    assertThat(near.get("k").text()).as("the next read").isEqualTo("new");
  }

  @Test
  void trackingConnectionKilled_nearBypassedUntilTrackingIsBack() {
    CacheEngine engine = nearEngine();
    Cache<String, String> near = engine.cache("prices", String.class, String.class);
    Cache<String, String> other = otherProcess().cache("prices", String.class, String.class);
    awaitLive(engine);
    other.put("ACME", "12");
    assertThat(near.get("ACME")).isEqualTo("12");

    redis.cli("CLIENT", "KILL", "ID", trackingClientId());
    await("the feed to be lost", () -> !redisEngine(engine).nearLive());
    other.put("ACME", "13");
    assertThat(near.get("ACME")).as("bypassed while lost").isEqualTo("13");

    awaitLive(engine);
    assertThat(near.get("ACME")).isEqualTo("13");
    other.put("ACME", "14");
    await("changes to arrive again", () -> "14".equals(near.get("ACME")));
  }

  @Test
  void stats_countWhatTheNearCopyDidAndTheLagOfOwnWrites() {
    CacheEngine engine = nearEngine();
    Cache<String, String> near = engine.cache("prices", String.class, String.class);
    awaitLive(engine);
    assertThat(near.stats().near()).as("the feed's first start").isEqualTo(NearStats.NONE);

    putAndSettle(engine, near, "ACME", "12"); // the echo drops the copy the put made
    near.get("ACME");
    near.get("ACME");
    near.get("ACME");
    near.clear();
    redis.cli("CLIENT", "KILL", "ID", trackingClientId());
    await("the feed to be lost", () -> !redisEngine(engine).nearLive());
    awaitLive(engine);

    NearStats stats = near.stats().near();
    assertThat(stats.missCount()).isEqualTo(1);
    assertThat(stats.hitCount()).isEqualTo(2);
    assertThat(stats.invalidationCount()).isGreaterThanOrEqualTo(1);
    assertThat(stats.invalidationLagCount()).isEqualTo(1);
    assertThat(stats.maxInvalidationLagNanos()).isEqualTo(stats.totalInvalidationLagNanos());
    assertThat(stats.flushCounts()).containsEntry(FlushCause.CLEAR, 1L)
        .containsEntry(FlushCause.FEED_LOST, 1L).containsEntry(FlushCause.FEED_RESTORED, 1L);
    assertThat(otherProcess().cache("prices", String.class, String.class).stats().near())
        .isEqualTo(NearStats.NONE);
  }

  @Test
  void serverPaused_feedLostAndHealthDegraded_restoredAfterResume() {
    CacheEngine engine = engine(true, b -> b.timeout(Duration.ofMillis(300)));
    Cache<String, String> near = engine.cache("prices", String.class, String.class);
    awaitLive(engine);
    near.put("ACME", "12");
    assertThat(near.get("ACME")).isEqualTo("12");

    redis.pause();
    try {
      await("the feed to be lost", () -> !redisEngine(engine).nearLive());
    } finally {
      redis.resume();
    }
    awaitLive(engine);
    assertThat(engine.health().status()).isEqualTo(EngineHealth.Status.UP);
    Cache<String, String> other = otherProcess().cache("prices", String.class, String.class);
    other.put("ACME", "13");
    await("changes to arrive after the pause", () -> "13".equals(near.get("ACME")));
  }

  @Test
  void serverRestarted_nearCopiesOfTheOldServerAreGone() {
    CacheEngine engine = nearEngine();
    Cache<String, String> near = engine.cache("prices", String.class, String.class);
    awaitLive(engine);
    near.put("ACME", "12");
    assertThat(near.get("ACME")).isEqualTo("12");

    redis.stop();
    await("the feed to be lost", () -> !redisEngine(engine).nearLive());
    redis.start();
    awaitLive(engine);

    // The restarted server holds nothing: the copy must not outlive it.
    await("the engine to reconnect", () -> {
      try {
        return near.get("ACME") == null;
      } catch (RuntimeException e) {
        return false;
      }
    });
  }

  @Test
  void maxStaleness_capsACopyWhateverTheFeedSays() {
    FakeTicker ticker = new FakeTicker();
    CacheEngine engine = engine(true, b -> b.nearMaxStaleness(Duration.ofSeconds(5))
        .ticker(ticker));
    Cache<String, String> near = engine.cache("prices", String.class, String.class);
    awaitLive(engine);
    putAndSettle(engine, near, "ACME", "12");
    assertThat(near.get("ACME")).isEqualTo("12");
    long before = gets();
    ticker.advance(Duration.ofSeconds(4));
    assertThat(near.get("ACME")).isEqualTo("12");
    assertThat(gets()).isEqualTo(before);

    ticker.advance(Duration.ofSeconds(2));
    assertThat(near.get("ACME")).isEqualTo("12");
    assertThat(gets()).as("read again past max-staleness").isEqualTo(before + 1);
  }

  @Test
  void concurrentMisses_oneRedisReadAndOneLoad() throws Exception {
    CacheEngine engine = engine(true, b -> b.timeout(Duration.ofSeconds(30)));
    Cache<String, String> near = engine.cache("prices", String.class, String.class);
    awaitLive(engine);
    AtomicInteger loads = new AtomicInteger();
    long before = near.stats().near().missCount();
    List<Thread> callers = new ArrayList<>();
    List<String> answers = java.util.Collections.synchronizedList(new ArrayList<>());

    redis.pause();
    try {
      for (int i = 0; i < 8; i++) {
        Thread caller = new Thread(() -> answers.add(near.get("ACME", key -> {
          loads.incrementAndGet();
          return "12";
        })));
        callers.add(caller);
        caller.start();
      }
      // Every caller is parked: one waits for Redis, the others for its read.
      await("every caller to wait", () -> callers.stream().allMatch(t ->
          t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING));
    } finally {
      redis.resume();
    }
    for (Thread caller : callers) {
      caller.join(AWAIT.toMillis());
    }

    assertThat(answers).hasSize(8).containsOnly("12");
    assertThat(loads).hasValue(1);
    assertThat(near.stats().near().missCount() - before).as("Redis reads for 8 misses")
        .isEqualTo(1);
  }

  /** The id of the connection with tracking on, from CLIENT LIST. */
  private static String trackingClientId() {
    for (String line : redis.cli("CLIENT", "LIST").split("\n")) {
      Matcher flags = Pattern.compile("flags=(\\S*)").matcher(line);
      Matcher id = Pattern.compile("id=(\\d+)").matcher(line);
      if (flags.find() && flags.group(1).contains("t") && id.find()) {
        return id.group(1);
      }
    }
    throw new AssertionError("no tracking connection in CLIENT LIST");
  }
}
