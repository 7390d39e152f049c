package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.testkit.ChildJvm;
import io.ucache.testkit.RedisClusterExtension;
import io.ucache.testkit.RedisServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
  private static final Duration WAIT = Duration.ofSeconds(60);

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
      ChildJvm holder = run.awaitLoading();
      run.awaitAllParked(run.children);

      run.sendAll("RELEASE");
      List<Done> done = run.awaitDone(run.children);

      System.out.printf("cluster-wide single-flight (%s), %d JVMs x %d callers: %d load(s), "
              + "%d distinct value(s), %d ms from GO to every caller served%n",
          cluster ? "Cluster" : "standalone", PROCESSES, CALLERS, loads(done), values(done).size(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      assertThat(loads(done)).as("loads across every JVM").isEqualTo(1);
      assertThat(values(done)).as("values the callers got")
          .containsExactly("value-of-" + holder.process().pid());
    }
  }

  private void holderKilled(String url, boolean cluster) throws Exception {
    try (Run run = new Run(url, cluster)) {
      run.sendAll("GO");
      ChildJvm first = run.awaitLoading();
      run.awaitAllParked(run.children);
      long killed = System.nanoTime();

      first.process().destroyForcibly().waitFor();
      List<ChildJvm> survivors = new ArrayList<>(run.children);
      survivors.remove(first);
      ChildJvm second = run.awaitLoading();
      long takenOver = System.nanoTime() - killed;
      run.sendAll("RELEASE");
      List<Done> done = run.awaitDone(survivors);

      System.out.printf("cluster-wide single-flight (%s), holder killed mid-load: %d more "
              + "load(s), taken over %d ms after the kill (lease %d ms)%n",
          cluster ? "Cluster" : "standalone", loads(done),
          TimeUnit.NANOSECONDS.toMillis(takenOver), LEASE.toMillis());
      assertThat(survivors).contains(second);
      assertThat(loads(done)).as("loads after the kill").isEqualTo(1);
      assertThat(values(done)).containsExactly("value-of-" + second.process().pid());
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
    final List<ChildJvm> children = new ArrayList<>();
    private final BlockingQueue<ChildJvm> loading = new LinkedBlockingQueue<>();

    Run(String url, boolean cluster) throws Exception {
      String namespace = "flight-processes-" + NAMESPACES.incrementAndGet();
      for (int i = 0; i < PROCESSES; i++) {
        ChildJvm[] self = new ChildJvm[1];
        self[0] = ChildJvm.start(temp.resolve("child" + i + ".stderr"),
            line -> line.equals("LOADING") && loading.add(self[0]), SingleFlightProcess.class,
            url, Boolean.toString(cluster), namespace, LEASE.toString(),
            Integer.toString(CALLERS));
        children.add(self[0]);
      }
      for (ChildJvm child : children) {
        child.line("READY", WAIT);
      }
    }

    void sendAll(String command) {
      children.forEach(child -> child.send(command));
    }

    ChildJvm awaitLoading() throws InterruptedException {
      ChildJvm child = loading.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(child).as("a child started loading").isNotNull();
      return child;
    }

    void awaitAllParked(List<ChildJvm> processes) throws InterruptedException {
      for (ChildJvm child : processes) {
        child.line("PARKED", WAIT);
      }
    }

    List<Done> awaitDone(List<ChildJvm> processes) throws InterruptedException {
      List<Done> done = new ArrayList<>();
      for (ChildJvm child : processes) {
        Matcher matcher = DONE.matcher(child.line("DONE", WAIT));
        assertThat(matcher.matches()).isTrue();
        done.add(new Done(Integer.parseInt(matcher.group(1)),
            List.of(matcher.group(2).split(","))));
      }
      return done;
    }

    @Override
    public void close() {
      children.forEach(ChildJvm::close);
    }
  }
}
