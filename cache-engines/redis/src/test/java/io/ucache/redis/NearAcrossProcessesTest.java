package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.CacheConfig;
import io.ucache.testkit.ChildJvm;
import io.ucache.testkit.RedisSentinelExtension;
import io.ucache.testkit.RedisServerExtension;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Near caches in separate JVMs ({@link NearProcess}): one writer, three readers with near
 * caches, one clock. It measures how long a change takes to reach the readers and counts reads
 * that returned a value older than one acknowledged before they began, in steady state and while
 * Redis is paused, killed and restarted, or failed over by Sentinel. A stale read older than the
 * longest documented window ({@code timeout} + 500 ms) fails the test if a near copy served it
 * (one read from Redis shows what Redis itself held). docs/benchmarks.md and
 * docs/reliability.md quote longer runs: {@code -Dreliability.near-writes=5000}.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NearAcrossProcessesTest {

  /** Writes in the lag run; the fault runs write for as long as their faults take. */
  private static final int WRITES = Integer.getInteger("reliability.near-writes", 300);
  private static final Duration FAULT = CacheConfig.parseDuration(
      System.getProperty("reliability.fault-duration", "1500ms"));
  private static final AtomicLong NAMESPACES = new AtomicLong();
  private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\d+)");

  @TempDir
  Path temp;

  @Nested
  class Standalone {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();

    @Test
    void lag_oneWriterThreeReaders_everyChangeArrives() throws Exception {
      try (Run run = new Run(redis.url(), Duration.ofSeconds(1), Duration.ofMillis(10))) {
        run.go();
        run.awaitAcknowledged(WRITES);

        List<Result> results = run.finish();

        List<Long> lags = new ArrayList<>();
        results.forEach(result -> lags.addAll(result.lagsMicros));
        System.out.println("near invalidation lag, 1 writer, 3 readers, " + run.last
            + " writes: " + distribution(lags) + "; " + staleness(results));
        assertThat(lags).as("changes seen by the readers").hasSizeGreaterThan(results.size());
        assertNoStaleReadBeyondTheWindow(results);
      }
    }

    @Test
    void faults_pausedKilledRestarted_noStaleReadBeyondTheWindow() throws Exception {
      try (Run run = new Run(redis.url(), Duration.ofMillis(500), Duration.ofMillis(2))) {
        run.go();
        run.awaitAcknowledged(100);
        redis.pause();
        try {
          run.holdFault();
        } finally {
          redis.resume();
        }
        run.awaitAcknowledged(run.acknowledged() + 100);
        redis.stop();
        run.holdFault();
        redis.start();
        run.awaitAcknowledged(run.acknowledged() + 100);

        List<Result> results = run.finish();

        System.out.println("near under faults (pause, kill, restart of " + FAULT.toMillis()
            + " ms each), " + run.last + " writes: " + staleness(results));
        assertNoStaleReadBeyondTheWindow(results);
        assertThat(results).allSatisfy(result -> assertThat(result.errors).isPositive());
      }
    }
  }

  @Nested
  class Sentinel {
    @RegisterExtension
    static final RedisSentinelExtension sentinel = RedisSentinelExtension.create();

    @Test
    void failover_noStaleReadBeyondTheWindow() throws Exception {
      try (Run run = new Run(sentinel.url(), Duration.ofMillis(500), Duration.ofMillis(2))) {
        run.go();
        run.awaitAcknowledged(100);
        sentinel.failover();
        run.awaitAcknowledged(run.acknowledged() + 100);

        List<Result> results = run.finish();

        System.out.println("near across a Sentinel failover, " + run.last + " writes: "
            + staleness(results));
        assertNoStaleReadBeyondTheWindow(results);
      }
    }
  }

  private static void assertNoStaleReadBeyondTheWindow(List<Result> results) {
    assertThat(results).hasSize(3).allSatisfy(result -> {
      assertThat(result.reads).as("reads").isPositive();
      assertThat(result.beyondWindow).as("stale reads older than the window: " + result)
          .isZero();
    });
  }

  private static String staleness(List<Result> results) {
    return "reads " + results.stream().mapToLong(r -> r.reads).sum()
        + ", stale " + results.stream().mapToLong(r -> r.stale).sum()
        + " (oldest " + results.stream().mapToLong(r -> r.maxStaleMicros).max().orElse(0)
        + " µs), beyond the window: from a near copy " + results.stream()
            .mapToLong(r -> r.beyondWindow).sum() + ", read from Redis itself "
        + results.stream().mapToLong(r -> r.fromRedis).sum()
        + ", failed " + results.stream().mapToLong(r -> r.errors).sum();
  }

  private static String distribution(List<Long> micros) {
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      return "no samples";
    }
    return sorted.size() + " samples, p50 " + percentile(sorted, 50) + " µs, p90 "
        + percentile(sorted, 90) + " µs, p99 " + percentile(sorted, 99) + " µs, p99.9 "
        + percentile(sorted, 99.9) + " µs, max " + sorted.get(sorted.size() - 1) + " µs";
  }

  private static long percentile(List<Long> sorted, double p) {
    int index = (int) Math.ceil(p / 100 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** What one reader printed. */
  private record Result(long reads, long stale, long beyondWindow, long fromRedis,
      long maxStaleMicros, long errors, List<Long> lagsMicros) {}

  /** A writer and three readers on one board, stopped by {@link #close()}. */
  private final class Run implements AutoCloseable {
    private final List<ChildJvm> children = new ArrayList<>();
    private final ChildJvm writer;
    private final List<ChildJvm> readers = new ArrayList<>();
    private final MappedByteBuffer board;
    private final Duration pace;
    private long last;

    Run(String url, Duration timeout, Duration pace) throws IOException {
      this.pace = pace;
      Path file = temp.resolve("board");
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        raf.setLength(NearProcess.SLOTS * 8L);
        board = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, NearProcess.SLOTS * 8L);
      }
      String namespace = "near-processes-" + NAMESPACES.incrementAndGet();
      writer = start("writer", url, namespace, file, timeout, pace);
      for (int i = 0; i < 3; i++) {
        readers.add(start("reader", url, namespace, file, timeout, pace));
      }
    }

    private ChildJvm start(String role, String url, String namespace, Path file,
        Duration timeout, Duration pace) throws IOException {
      ChildJvm child = ChildJvm.start(temp.resolve(role + children.size() + ".stderr"),
          NearProcess.class, role, url, namespace, file.toString(), timeout.toString(),
          pace.toString());
      children.add(child);
      return child;
    }

    private String line(ChildJvm child, String prefix) throws InterruptedException {
      return child.line(prefix, Duration.ofSeconds(150));
    }

    /** Every reader's feed is live: the writer starts. */
    void go() throws InterruptedException {
      for (ChildJvm reader : readers) {
        line(reader, "READY");
      }
      writer.send("GO");
    }

    long acknowledged() {
      return NearProcess.acknowledged(board);
    }

    /** Waits until {@code count} writes were acknowledged: 30 s, plus ten times the pace each. */
    void awaitAcknowledged(long count) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
          + 10 * count * pace.toNanos();
      while (acknowledged() < count) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError("the writer has " + acknowledged() + " writes acknowledged, "
              + "not " + count + "; its stderr:\n" + writer.stderr());
        }
        LockSupport.parkNanos(1_000_000);
      }
    }

    /**
     * Keeps a fault in place for {@code reliability.fault-duration} while readers and writer run
     * into it, checking all along that Redis acknowledges nothing: at most the one write that
     * was in flight when the fault began.
     */
    void holdFault() {
      long atStart = acknowledged();
      long started = System.nanoTime();
      while (System.nanoTime() - started < FAULT.toNanos()) {
        assertThat(acknowledged()).as("writes acknowledged by a paused or dead server")
            .isLessThanOrEqualTo(atStart + 1);
        LockSupport.parkNanos(1_000_000);
      }
    }

    /** Stops the writer, then the readers, and returns what the readers saw. */
    List<Result> finish() throws InterruptedException, IOException {
      writer.endInput();
      last = Long.parseLong(line(writer, "DONE ").substring("DONE ".length()));
      List<Result> results = new ArrayList<>();
      for (ChildJvm reader : readers) {
        reader.endInput();
      }
      for (ChildJvm reader : readers) {
        Matcher fields = FIELD.matcher(line(reader, "RESULT "));
        Map<String, Long> values = new java.util.HashMap<>();
        while (fields.find()) {
          values.put(fields.group(1), Long.parseLong(fields.group(2)));
        }
        String lags = line(reader, "LAGS").substring("LAGS".length()).trim();
        results.add(new Result(values.get("reads"), values.get("stale"),
            values.get("beyondWindow"), values.get("fromRedis"), values.get("maxStaleMicros"),
            values.get("errors"),
            lags.isEmpty() ? List.of() : java.util.Arrays.stream(lags.split(","))
                .map(Long::valueOf).toList()));
      }
      return results;
    }

    @Override
    public void close() {
      children.forEach(ChildJvm::close);
    }
  }
}
