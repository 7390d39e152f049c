package io.ucache.redis;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.SingleFlightScope;
import io.ucache.context.EngineManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One JVM of {@link SingleFlightAcrossProcessesTest}: callers that miss one key of a cache with
 * {@code single-flight.scope=cluster} at once. Prints {@code READY} once its engine is open; after a
 * {@code GO} line on stdin starts its callers, each calling {@code get("hot", loader)}, whose
 * loader prints {@code LOADING} and waits for a {@code RELEASE} line; prints {@code PARKED} once
 * every caller is parked (waiting for a load, here or in another process) or done, and
 * {@code DONE loads=<n> values=<distinct values>} once every caller has returned.
 *
 * <p>Arguments: {@code redis.url}, {@code redis.cluster}, namespace, lease time, callers.
 */
public final class SingleFlightProcess {

  private SingleFlightProcess() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    boolean cluster = Boolean.parseBoolean(args[1]);
    String namespace = args[2];
    Duration leaseTime = Duration.parse(args[3]);
    int callers = Integer.parseInt(args[4]);
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread input = new Thread(() -> readCommands(go, release), "stdin");
    input.setDaemon(true);
    input.start();

    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("redis").set("redis.url", url).set("redis.cluster", Boolean.toString(cluster))
        .set("namespace", namespace).timeout(Duration.ofSeconds(5))
        .singleFlight(SingleFlightScope.CLUSTER).singleFlightLeaseTime(leaseTime).build())) {
      Cache<String, String> cache = engine.cache("hot", String.class, String.class);
      say("READY");
      go.await();
      AtomicInteger loads = new AtomicInteger();
      Set<String> values = ConcurrentHashMap.newKeySet();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        Thread caller = new Thread(() -> values.add(String.valueOf(cache.get("hot", key -> {
          loads.incrementAndGet();
          say("LOADING");
          release.await();
          return "value-of-" + ProcessHandle.current().pid();
        }))), "caller-" + i);
        threads.add(caller);
        caller.start();
      }
      while (!threads.stream().allMatch(SingleFlightProcess::parkedOrDone)) {
        LockSupport.parkNanos(1_000_000); // polls; four JVMs share two cores
      }
      say("PARKED");
      for (Thread caller : threads) {
        caller.join();
      }
      say("DONE loads=" + loads.get() + " values=" + String.join(",", new TreeSet<>(values)));
    }
  }

  private static boolean parkedOrDone(Thread thread) {
    Thread.State state = thread.getState();
    return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
        || state == Thread.State.TERMINATED;
  }

  private static void readCommands(CountDownLatch go, CountDownLatch release) {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        switch (line.trim()) {
          case "GO" -> go.countDown();
          case "RELEASE" -> release.countDown();
          default -> { }
        }
      }
    } catch (IOException e) {
      // The parent is gone: nothing more will come.
    }
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
