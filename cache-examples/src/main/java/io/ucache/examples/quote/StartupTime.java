package io.ucache.examples.quote;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Measures what UCache's auto-configuration adds to the quote service's start-up: starts it
 * {@code runs} times with and {@code runs} times without {@code UCacheAutoConfiguration}
 * (alternating, in one JVM, after {@code warm-up} starts of each), each time until the context
 * is ready (web server listening), and prints the medians of the wall time and of the starting
 * thread's CPU time (less disturbed by other processes on a busy machine).
 * {@code java -cp cache-examples/target/ucache-examples.jar io.ucache.examples.quote.StartupTime [runs] [warm-up]}
 */
public final class StartupTime {
  private StartupTime() {}

  private static final String WITHOUT =
      "--spring.autoconfigure.exclude=io.ucache.spring.UCacheAutoConfiguration";
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private record Sample(long wallNanos, long cpuNanos) {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    for (int i = 0; i < warmUp; i++) {
      time(true);
      time(false);
    }
    List<Sample> with = new ArrayList<>();
    List<Sample> without = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      with.add(time(true));
      without.add(time(false));
    }
    System.out.printf("context start-up, median of %d after %d warm-up starts each:%n", runs,
        warmUp);
    print("with UCache's auto-configuration", with);
    print("without it (Boot's simple caches)", without);
    System.out.printf("  difference: wall %+.1f ms, cpu %+.1f ms%n",
        (median(with, Sample::wallNanos) - median(without, Sample::wallNanos)) / 1e6,
        (median(with, Sample::cpuNanos) - median(without, Sample::cpuNanos)) / 1e6);
  }

  private static void print(String what, List<Sample> samples) {
    System.out.printf("  %-35s wall %6.1f ms, cpu %6.1f ms%n", what + ":",
        median(samples, Sample::wallNanos) / 1e6, median(samples, Sample::cpuNanos) / 1e6);
  }

  private static Sample time(boolean ucache) {
    String[] args = ucache
        ? new String[] {"--server.port=0", "--spring.jmx.enabled=false"}
        : new String[] {"--server.port=0", "--spring.jmx.enabled=false", WITHOUT};
    long cpu = THREADS.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    ConfigurableApplicationContext context = QuoteApplication.start(args);
    Sample sample = new Sample(System.nanoTime() - start,
        THREADS.getCurrentThreadCpuTime() - cpu);
    context.close();
    return sample;
  }

  private static long median(List<Sample> samples,
      java.util.function.ToLongFunction<Sample> value) {
    List<Long> sorted = new ArrayList<>();
    samples.forEach(s -> sorted.add(value.applyAsLong(s)));
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
