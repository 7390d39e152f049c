package io.ucache.redis;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.EngineUnavailableException;
import io.ucache.context.EngineManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * One JVM of {@link NearAcrossProcessesTest}: the writer, or a reader with a near cache. They
 * share an acknowledgement board, a memory-mapped file: slot 0 holds the highest sequence number
 * the writer saw Redis acknowledge, slot {@code s} the {@link System#nanoTime()} of that
 * acknowledgement (one clock for every process of a Linux machine).
 *
 * <ul>
 *   <li>{@code writer}: after a {@code GO} line on stdin, puts 1, 2, 3... under key {@code k},
 *       one every {@code pace}, retrying a failed put; stops at the end of stdin, printing
 *       {@code DONE <last acknowledged>}.
 *   <li>{@code reader}: prints {@code READY} once its near feed is live, then reads {@code k}
 *       until the end of stdin. A read is <em>stale</em> when it returns less than the board
 *       said was acknowledged before it began; its age is the time since the first newer value
 *       was acknowledged. One older than the longest documented window is a violation when the
 *       near copy served it (the cache's near hit count moved); one read from Redis is Redis's
 *       own (a failover loses the writes the old master acknowledged after the promotion).
 *       When a read first returns a newer value, its lag is the time since
 *       that value was acknowledged, taken when that read began (the previous read, one poll
 *       earlier, still had the old value: the lag is known to within one poll, ~0.1 ms). Prints
 *       {@code RESULT} and {@code LAGS} lines.
 * </ul>
 *
 * <p>Arguments: role, {@code redis.url}, namespace, board file, {@code timeout}, pace.
 */
public final class NearProcess {

  static final int SLOTS = 1 << 20;
  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private NearProcess() {}

  public static void main(String[] args) throws Exception {
    String role = args[0];
    Duration timeout = Duration.parse(args[4]);
    Duration pace = Duration.parse(args[5]);
    boolean reader = role.equals("reader");
    try (FileChannel channel = FileChannel.open(Path.of(args[3]), StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        CacheEngine engine = open(CacheConfig.builder().engine("redis")
            .set("redis.url", args[1]).namespace(args[2]).timeout(timeout)
            .nearEnabled(reader).build())) {
      MappedByteBuffer board = channel.map(FileChannel.MapMode.READ_WRITE, 0, SLOTS * 8L);
      Cache<String, Long> cache = engine.cache("board", String.class, Long.class);
      BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      if (reader) {
        read(engine, cache, board, stdin, timeout);
      } else {
        write(cache, board, stdin, pace);
      }
    }
    System.exit(0); // Lettuce's threads
  }

  /**
   * Opens the engine, trying again for up to a minute: four JVMs starting at once on two cores
   * may take longer than the short {@code timeout} of the fault runs for their first connect.
   */
  private static CacheEngine open(CacheConfig config) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (true) {
      try {
        return EngineManager.getDefault().create(config);
      } catch (EngineUnavailableException e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
      }
    }
  }

  private static void write(Cache<String, Long> cache, MappedByteBuffer board,
      BufferedReader stdin, Duration pace) throws IOException {
    String go = stdin.readLine();
    if (!"GO".equals(go)) {
      return;
    }
    Thread stop = untilEndOf(stdin);
    long seq = 1;
    while (stop.isAlive() && seq < SLOTS) {
      try {
        cache.put("k", seq);
      } catch (RuntimeException e) {
        continue; // Redis is down: the same value again, until it is acknowledged
      }
      LONGS.setRelease(board, (int) seq * 8, System.nanoTime());
      LONGS.setRelease(board, 0, seq);
      seq++;
      LockSupport.parkNanos(pace.toNanos());
    }
    System.out.println("DONE " + (seq - 1));
    System.out.flush();
  }

  private static void read(CacheEngine engine, Cache<String, Long> cache, MappedByteBuffer board,
      BufferedReader stdin, Duration timeout) {
    RedisEngine redis = engine.unwrap(RedisEngine.class);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!redis.nearLive()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("the near feed did not come up within a minute");
      }
      LockSupport.parkNanos(1_000_000);
    }
    System.out.println("READY");
    System.out.flush();
    Thread stop = untilEndOf(stdin);
    // The longest window the README documents: a failure is noticed at most `timeout` after
    // the last heartbeat, sent every 500 ms.
    long window = timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
    long reads = 0;
    long errors = 0;
    long absent = 0;
    long stale = 0;
    long beyondWindow = 0;
    long fromRedis = 0;
    long maxStaleAge = 0;
    long lastSeen = 0;
    List<Long> lags = new ArrayList<>();
    while (stop.isAlive()) {
      long begun = System.nanoTime();
      long acknowledged = (long) LONGS.getAcquire(board, 0);
      long copiesServed = cache.stats().near().hitCount();
      Long value;
      try {
        value = cache.get("k");
      } catch (RuntimeException e) {
        errors++;
        LockSupport.parkNanos(1_000_000);
        continue;
      }
      reads++;
      if (value == null) {
        absent++; // the server lost the key (a restart keeps nothing): not a near copy's doing
      } else {
        if (value < acknowledged) {
          stale++;
          long age = begun - (long) LONGS.getAcquire(board, (int) (value + 1) * 8);
          maxStaleAge = Math.max(maxStaleAge, age);
          if (age > window) {
            // Older than any window: served by the near copy, or read from Redis itself (which
            // a failover makes lose writes, and whose demoted master serves reads until the
            // switch reaches this process)?
            if (cache.stats().near().hitCount() > copiesServed) {
              beyondWindow++;
            } else {
              fromRedis++;
            }
          }
        }
        if (value > lastSeen) {
          if (lastSeen > 0) {
            long ackedAt = (long) LONGS.getAcquire(board, (int) (long) value * 8);
            lags.add(ackedAt == 0 ? 0 : Math.max(0, begun - ackedAt));
          }
          lastSeen = value;
        }
      }
      LockSupport.parkNanos(100_000); // a read every ~0.1 ms: the lag's resolution
    }
    System.out.printf("RESULT reads=%d stale=%d beyondWindow=%d fromRedis=%d maxStaleMicros=%d "
        + "errors=%d absent=%d%n", reads, stale, beyondWindow, fromRedis, maxStaleAge / 1000,
        errors, absent);
    System.out.println("LAGS " + lags.stream().map(nanos -> Long.toString(nanos / 1000))
        .collect(Collectors.joining(",")));
    System.out.flush();
  }

  /** The highest sequence number Redis acknowledged, from the board. */
  static long acknowledged(MappedByteBuffer board) {
    return (long) LONGS.getAcquire(board, 0);
  }

  /** A thread that ends when stdin does: the parent's signal to stop. */
  private static Thread untilEndOf(BufferedReader stdin) {
    Thread thread = new Thread(() -> {
      try {
        while (stdin.readLine() != null) {
          // only the end matters
        }
      } catch (IOException e) {
        // the parent is gone: stop as well
      }
    }, "stdin");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
