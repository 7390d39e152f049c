package io.ucache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.spi.LoadLeases;
import io.ucache.testkit.ChildJvm;
import io.ucache.testkit.RedisServerExtension;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * On redis, the operations on one key are atomic across processes: each holds the key's lease
 * in Redis ({@link KeyLocks}). Two cache managers of one JVM stand for two processes here (each
 * has its own locks, as a process does), with controlled interleavings; a child JVM shows it
 * between real processes.
 */
class RedisKeyLocksTest {

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @TempDir
  Path folder;

  private final CachingProvider provider = new UCacheCachingProvider();
  private final List<CacheManager> managers = new ArrayList<>();

  @BeforeEach
  void emptyRedis() {
    redis.cli("FLUSHALL");
  }

  @AfterEach
  void close() {
    managers.forEach(CacheManager::close);
  }

  private Properties redisProperties() {
    Properties properties = new Properties();
    properties.setProperty("ucache.engine", "redis");
    properties.setProperty("ucache.redis.url", redis.url());
    return properties;
  }

  /** The counters cache as the process {@code name} sees it. */
  private Cache<String, Integer> counters(String name) {
    CacheManager manager = provider.getCacheManager(URI.create("ucache:" + name), null,
        redisProperties());
    managers.add(manager);
    Cache<String, Integer> cache = manager.getCache("counters");
    return cache != null ? cache : manager.createCache("counters", new MutableConfiguration<>());
  }

  private static Integer increment(javax.cache.processor.MutableEntry<String, Integer> entry) {
    int next = entry.exists() ? entry.getValue() + 1 : 1;
    entry.setValue(next);
    return next;
  }

  @Test
  void invoke_waitsForAnotherProcessesInvokeOnTheKey_soNoIncrementIsLost() throws Exception {
    Cache<String, Integer> first = counters("first");
    Cache<String, Integer> second = counters("second");
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch letFirstFinish = new CountDownLatch(1);
    CompletableFuture<Integer> firstInvoke = CompletableFuture.supplyAsync(
        () -> first.invoke("hits", (entry, args) -> {
          firstRunning.countDown();
          await(letFirstFinish);
          return increment(entry);
        }));
    assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();

    AtomicInteger secondRuns = new AtomicInteger();
    Thread secondThread = new Thread(() -> second.invoke("hits", (entry, args) -> {
      secondRuns.incrementAndGet();
      return increment(entry);
    }));
    secondThread.start();
    awaitFinishedOrWaitingForLease(secondThread); // finished: it ran inside the first (the bug)
    assertThat(secondRuns).hasValue(0);

    letFirstFinish.countDown();
    assertThat(firstInvoke.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    join(secondThread);
    assertThat(secondRuns).hasValue(1);
    assertThat(first.get("hits")).isEqualTo(2);
  }

  /** Polls until {@code thread} has ended or waits for a key's lease (in KeyLocks' back-off). */
  private static void awaitFinishedOrWaitingForLease(Thread thread) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.isAlive() && !backsOffForLease(thread.getStackTrace())) {
      assertThat(System.nanoTime()).as("the thread neither ended nor waited").isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
    }
  }

  private static boolean backsOffForLease(StackTraceElement[] stack) {
    return Arrays.stream(stack).anyMatch(frame -> frame.getMethodName().equals("parkNanos"))
        && Arrays.stream(stack).anyMatch(frame -> frame.getMethodName().equals("lock")
            && frame.getClassName().endsWith("KeyLocks$LeasedLock"));
  }

  private static void join(Thread thread) throws InterruptedException {
    thread.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(thread.isAlive()).as("still running after 10 s").isFalse();
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void leaseOfADeadHolder_runsOut_thenTheWriteGoesAhead() {
    Cache<String, Integer> cache = counters("only");
    leases(cache).tryTake(EntryStore.Serialized.text("hits"), "a-process-that-died",
        Duration.ofMillis(300));

    cache.put("hits", 7);

    assertThat(cache.get("hits")).isEqualTo(7);
  }

  @Test
  void plainReads_takeNoLease_writesWaitForIt() throws InterruptedException {
    Cache<String, Integer> cache = counters("reader");
    cache.put("hits", 3);
    String leaseKey = EntryStore.Serialized.text("hits");
    assertThat(leases(cache).tryTake(leaseKey, "another-process", Duration.ofMinutes(1))).isTrue();

    assertThat(cache.get("hits")).isEqualTo(3); // read while the other process holds the key
    assertThat(cache.containsKey("hits")).isTrue();
    Thread write = new Thread(() -> cache.put("hits", 4));
    write.start();
    awaitFinishedOrWaitingForLease(write);
    assertThat(write.isAlive()).isTrue();
    assertThat(cache.get("hits")).isEqualTo(3);

    leases(cache).release(leaseKey, "another-process");
    join(write);
    assertThat(cache.get("hits")).isEqualTo(4);
  }

  @SuppressWarnings("unchecked")
  private static LoadLeases<String, ?> leases(Cache<String, Integer> cache) {
    io.ucache.Cache<String, byte[]> entries = cache.unwrap(io.ucache.Cache.class);
    return entries.unwrap(LoadLeases.class);
  }

  @Test
  void redisDown_anOperationFollowsTheFailureMode_withoutWaitingForALease() {
    Properties properties = redisProperties();
    properties.setProperty("ucache.fail-mode", "closed");
    CacheManager manager = provider.getCacheManager(URI.create("ucache:down"), null, properties);
    managers.add(manager);
    Cache<String, Integer> cache = manager.createCache("counters", new MutableConfiguration<>());
    redis.stop();
    try {
      assertThatThrownBy(() -> cache.invoke("hits", (entry, args) -> increment(entry)))
          .hasStackTraceContaining("EngineUnavailableException")
          .hasMessageNotContaining("stayed locked");
    } finally {
      redis.start();
    }
  }

  @Test
  void incrementsFromTwoJvms_areNeverLost() throws Exception {
    Path properties = folder.resolve("ucache.properties");
    Files.writeString(properties, "engine=redis\nredis.url=" + redis.url() + "\n",
        StandardCharsets.UTF_8);
    int each = 200;
    try (ChildJvm other = ChildJvm.start(folder.resolve("child.log"), CounterProcess.class,
        properties.toString(), Integer.toString(each))) {
      other.line("ready", Duration.ofMinutes(1));
      Cache<String, Integer> mine = counters("parent");
      other.send("go");
      for (int i = 0; i < each; i++) {
        mine.invoke("hits", (entry, args) -> increment(entry));
      }
      other.line("done", Duration.ofMinutes(1));
      assertThat(mine.get("hits")).isEqualTo(2 * each);
    }
  }

  /** Child JVM: waits for {@code go}, then increments the counter {@code args[1]} times. */
  public static final class CounterProcess {
    private CounterProcess() {}

    public static void main(String[] args) throws IOException {
      URI uri = Path.of(args[0]).toUri();
      try (CacheManager manager = new UCacheCachingProvider().getCacheManager(uri, null)) {
        Cache<String, Integer> cache = manager.createCache("counters",
            new MutableConfiguration<>());
        System.out.println("ready");
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
            StandardCharsets.UTF_8)).readLine();
        for (int i = 0; i < Integer.parseInt(args[1]); i++) {
          cache.invoke("hits", (entry, arguments) -> increment(entry));
        }
        System.out.println("done");
      }
    }
  }
}
