package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.testkit.RedisClusterExtension;
import io.ucache.testkit.RedisServerExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code single-flight.scope=cluster} across real JVMs ({@link SingleFlightProcess}): four processes,
 * sixteen callers each, miss one key at once and the loader runs once in all of them; and when
 * the process running it is killed mid-load, it runs once more, in another process, after the
 * lease expires, and no more. On a standalone server and on a three-master Cluster.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SingleFlightAcrossProcessesTest {

  private static final int PROCESSES = 4;
  private static final int CALLERS = 16;
  private static final Duration LEASE = Duration.ofSeconds(1);
  private static final AtomicLong NAMESPACES = new AtomicLong();
  private static final Pattern DONE = Pattern.compile("DONE loads=(\\d+) values=(.*)");

  @TempDir
  Path temp;

  @Nested
  class Standalone {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();

    @Test
    void fourJvmsSixteenCallersEach_missAtOnce_oneLoad() throws Exception {
      oneLoad(redis.url(), false);
    }

    @Test
    void holderKilledMidLoad_oneMoreLoadAfterTheLeaseExpires() throws Exception {
      holderKilled(redis.url(), false);
    }
  }

  @Nested
  class Cluster {
    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.create();

    @Test
    void fourJvmsSixteenCallersEach_missAtOnce_oneLoad() throws Exception {
      oneLoad(cluster.nodes().get(0).url(), true);
    }

    @Test
    void holderKilledMidLoad_oneMoreLoadAfterTheLeaseExpires() throws Exception {
      holderKilled(cluster.nodes().get(0).url(), true);
    }
  }

  private void oneLoad(String url, boolean cluster) throws Exception {
    try (Run run = new Run(url, cluster)) {
      long start = System.nanoTime();
      run.sendAll("GO");
      Process holder = run.awaitLoading();
      run.awaitAllParked(run.children);

      run.sendAll("RELEASE");
      List<Done> done = run.awaitDone(run.children);

      System.out.printf("cluster-wide single-flight (%s), %d JVMs x %d callers: %d load(s), "
              + "%d distinct value(s), %d ms from GO to every caller served%n",
          cluster ? "Cluster" : "standalone", PROCESSES, CALLERS, loads(done), values(done).size(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      assertThat(loads(done)).as("loads across every JVM").isEqualTo(1);
      assertThat(values(done)).as("values the callers got")
          .containsExactly("value-of-" + holder.pid());
    }
  }

  private void holderKilled(String url, boolean cluster) throws Exception {
    try (Run run = new Run(url, cluster)) {
      run.sendAll("GO");
      Process first = run.awaitLoading();
      run.awaitAllParked(run.children);
      long killed = System.nanoTime();

      first.destroyForcibly().waitFor();
      List<Process> survivors = new ArrayList<>(run.children);
      survivors.remove(first);
      Process second = run.awaitLoading();
      long takenOver = System.nanoTime() - killed;
      run.sendAll("RELEASE");
      List<Done> done = run.awaitDone(survivors);

      System.out.printf("cluster-wide single-flight (%s), holder killed mid-load: %d more "
              + "load(s), taken over %d ms after the kill (lease %d ms)%n",
          cluster ? "Cluster" : "standalone", loads(done),
          TimeUnit.NANOSECONDS.toMillis(takenOver), LEASE.toMillis());
      assertThat(survivors).contains(second);
      assertThat(loads(done)).as("loads after the kill").isEqualTo(1);
      assertThat(values(done)).containsExactly("value-of-" + second.pid());
      assertThat(Duration.ofNanos(takenOver)).as("the dead holder's lease held until it expired")
          .isGreaterThanOrEqualTo(LEASE.dividedBy(2));
    }
  }

  private static int loads(List<Done> done) {
    return done.stream().mapToInt(Done::loads).sum();
  }

  private static Set<String> values(List<Done> done) {
    Set<String> all = new TreeSet<>();
    done.forEach(d -> all.addAll(d.values()));
    return all;
  }

  private record Done(int loads, List<String> values) {}

  /** The child JVMs of one test, ready; killed by {@link #close()}. */
  private final class Run implements AutoCloseable {
    final List<Process> children = new ArrayList<>();
    private final Map<Process, BlockingQueue<String>> lines = new HashMap<>();
    private final Map<Process, Path> stderr = new HashMap<>();
    private final BlockingQueue<Process> loading = new LinkedBlockingQueue<>();

    Run(String url, boolean cluster) throws Exception {
      String namespace = "flight-processes-" + NAMESPACES.incrementAndGet();
      for (int i = 0; i < PROCESSES; i++) {
        start(i, url, cluster, namespace);
      }
      for (Process child : children) {
        expect(child, "READY");
      }
    }

    private void start(int index, String url, boolean cluster, String namespace)
        throws IOException {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Path errors = temp.resolve("child" + index + ".stderr");
      Process process = new ProcessBuilder(java.toString(), "-cp",
          System.getProperty("java.class.path"), SingleFlightProcess.class.getName(), url,
          Boolean.toString(cluster), namespace, LEASE.toString(), Integer.toString(CALLERS))
          .redirectError(errors.toFile())
          .start();
      children.add(process);
      stderr.put(process, errors);
      BlockingQueue<String> queue = new LinkedBlockingQueue<>();
      lines.put(process, queue);
      Thread pump = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(
            process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.equals("LOADING")) {
              loading.add(process);
            } else {
              queue.add(line);
            }
          }
        } catch (IOException e) {
          // the child is gone
        }
      }, "child-" + index);
      pump.setDaemon(true);
      pump.start();
    }

    void sendAll(String command) {
      for (Process child : children) {
        if (child.isAlive()) {
          try {
            OutputStream in = child.getOutputStream();
            in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
          } catch (IOException e) {
            throw new AssertionError("cannot reach a child: " + e);
          }
        }
      }
    }

    Process awaitLoading() throws InterruptedException {
      Process process = loading.poll(60, TimeUnit.SECONDS);
      assertThat(process).as("a child started loading").isNotNull();
      return process;
    }

    void awaitAllParked(List<Process> processes) throws InterruptedException {
      for (Process child : processes) {
        expect(child, "PARKED");
      }
    }

    List<Done> awaitDone(List<Process> processes) throws InterruptedException {
      List<Done> done = new ArrayList<>();
      for (Process child : processes) {
        Matcher matcher = DONE.matcher(expect(child, "DONE"));
        assertThat(matcher.matches()).isTrue();
        done.add(new Done(Integer.parseInt(matcher.group(1)),
            List.of(matcher.group(2).split(","))));
      }
      return done;
    }

    private String expect(Process child, String prefix) throws InterruptedException {
      String line = lines.get(child).poll(60, TimeUnit.SECONDS);
      if (line == null || !line.startsWith(prefix)) {
        throw new AssertionError("expected " + prefix + " from a child, got " + line
            + "; its stderr: " + stderrOf(child));
      }
      return line;
    }

    private String stderrOf(Process process) {
      try {
        return Files.readString(stderr.get(process));
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    }

    @Override
    public void close() {
      children.forEach(Process::destroyForcibly);
    }
  }
}
