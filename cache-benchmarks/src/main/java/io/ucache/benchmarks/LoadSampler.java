package io.ucache.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The machine's one-minute load average, read every {@value #PERIOD_SECONDS} seconds while the
 * suite measures: the report states it (count {@value #COUNT}), because on a machine of two cores
 * anything else running moves the scores more than most of the differences they are read for.
 * One daemon thread from {@link #start} until {@link #close}; thread-safe.
 */
final class LoadSampler implements AutoCloseable {

  /** The count the samples become. */
  static final String COUNT = "load.duringRun";
  static final int PERIOD_SECONDS = 15;

  private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
  private final List<Double> samples = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      task -> {
        Thread thread = new Thread(task, "ucache-benchmarks-load");
        thread.setDaemon(true);
        return thread;
      });

  private LoadSampler() {}

  /** Starts sampling; the first sample is taken now. */
  static LoadSampler start() {
    LoadSampler sampler = new LoadSampler();
    sampler.timer.scheduleAtFixedRate(sampler::sample, 0, PERIOD_SECONDS, TimeUnit.SECONDS);
    return sampler;
  }

  private void sample() {
    double load = os.getSystemLoadAverage();
    if (load >= 0) { // negative where the platform has no load average
      samples.add(load);
    }
  }

  /**
   * The samples so far as a count: their mean, and in its detail their range and number; null
   * if the platform gave none.
   */
  Counts.@Nullable Count count() {
    List<Double> taken = List.copyOf(samples);
    if (taken.isEmpty()) {
      return null;
    }
    double mean = taken.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double max = taken.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    double min = taken.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    return new Counts.Count(COUNT, mean, String.format(Locale.ROOT,
        "mean of %d one-minute load averages read every %d s while the suite measured; "
            + "min %.1f, max %.1f", taken.size(), PERIOD_SECONDS, min, max));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
